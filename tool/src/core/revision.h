// A revision as read from one file: its headers and its two SQL sections.
// Parsing knows nothing about the other revisions or about any database.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/lexer.h"

namespace retort {

class ErrorList;

struct Section {
  std::string sql;      // the text between this marker and the next, CRLF kept as read
  int first_line = 0;   // 1-based line in the file where `sql` starts
  int marker_line = 0;  // line of the "-- migrate:..." marker
  bool transactional = true;
  bool irreversible = false;     // downgrade only
  bool empty() const;            // only whitespace and comments
  std::string checksum() const;  // sha256 of sql with CRLF folded to LF
  // checksum(), computed once by a holder that asks for it again and again
  // (the runtime, whose script lives as long as the program); "" until then.
  std::string known_checksum;
};

struct Revision {
  std::string id;
  std::vector<std::string> down_revisions;  // empty for a root, several for a merge
  std::vector<std::string> depends_on;
  std::vector<std::string> branch_labels;
  std::string message;
  std::string created;
  std::string path;  // as given to the parser, used in every message
  int id_line = 0;
  int down_revision_line = 0;
  int depends_on_line = 0;
  int branch_labels_line = 0;
  Section upgrade;
  Section downgrade;

  bool is_root() const { return down_revisions.empty(); }
  bool is_merge() const { return down_revisions.size() > 1; }
};

// Letters, digits and '_', as Alembic accepts, so histories can be brought over.
bool is_valid_revision_id(std::string_view id);

// How much of a file to read: everything, or only the headers (enough for
// current, history and heads, which never look at the SQL).
enum class ParseDepth { kFull, kHeaders };

// Parses one revision file. Throws Error naming `path` and the line for every
// problem found (all of them, not just the first).
Revision parse_revision(std::string_view text, const std::string& path,
                        ParseDepth depth = ParseDepth::kFull);

// What `retort lint` (and so the build) checks beyond parsing, in both
// sections: text no database runs as written (unrunnable_text(): a client's
// command, COPY FROM STDIN, a quote left open) and a statement that would
// end retort's own transaction (BEGIN, COMMIT, END, ROLLBACK, ABORT, START
// TRANSACTION) in a section not marked transaction:false. Throws Error
// naming the file and line of each.
// `options`: how the database the revision is for reads SQL, when known.
void check_statements(const Revision& rev,
                      const sql::LexerOptions& options = sql::LexerOptions::revision_default());
// The same for one section, adding to `errors`: the migrator checks the
// sections of a plan before it runs any (the drivers refuse transaction
// control again as they go).
void check_section(const Revision& rev, const Section& section, ErrorList& errors,
                   const sql::LexerOptions& options = sql::LexerOptions::revision_default());

}  // namespace retort
