// What MariaDB does with a statement beyond running it: whether it commits
// as it runs (DDL and its kin), and whether it can sit inside a compound
// statement (BEGIN NOT ATOMIC ... END), where retort runs a statement and its
// bookkeeping as one command.
#include <initializer_list>
#include <string>
#include <vector>

#include "backend/mariadb/mariadb.h"
#include "sql/lexer.h"

namespace retort {

namespace {

// The statement's leading words, lowercased, up to `limit`; DEFINER = ...
// and OR REPLACE are passed over, so "create definer=`a`@`%` trigger"
// reads as "create trigger".
std::vector<std::string> leading_words(std::string_view stmt, size_t limit) {
  std::vector<std::string> words;
  auto toks = sql::tokens(stmt, sql::LexerOptions::mariadb());
  for (size_t i = 0; i < toks.size() && words.size() < limit; ++i) {
    std::string_view t = stmt.substr(toks[i].begin, toks[i].size());
    if (toks[i].kind != sql::TokenKind::kWord) {
      if (words.empty()) break;
      continue;
    }
    std::string w = sql::ascii_lower(t);
    if (w == "definer") {
      // definer = name@host, each part a word, a quoted name or a string
      while (i + 1 < toks.size() && toks[i + 1].kind != sql::TokenKind::kWord)
        ++i;
      if (i + 1 < toks.size()) ++i;  // the user
      while (i + 1 < toks.size() && toks[i + 1].kind != sql::TokenKind::kWord)
        ++i;
      continue;
    }
    if (w == "or" || w == "replace" || w == "if" || w == "not" || w == "exists") continue;
    words.push_back(std::move(w));
  }
  return words;
}

bool is_any(const std::string& w, std::initializer_list<const char*> list) {
  for (const char* k : list)
    if (w == k) return true;
  return false;
}

}  // namespace

bool mariadb_commits_implicitly(std::string_view stmt) {
  auto w = leading_words(stmt, 2);
  if (w.empty()) return false;
  // CREATE and DROP TEMPORARY TABLE are the DDL that does not commit.
  if (is_any(w[0], {"create", "drop"})) return !(w.size() > 1 && w[1] == "temporary");
  // A procedure may run DDL: taken as committing, so never reported atomic
  // when it was not.
  return is_any(w[0], {"alter", "rename", "truncate", "grant", "revoke", "analyze", "optimize",
                       "repair", "check", "flush", "lock", "unlock", "install", "uninstall",
                       "cache", "reset", "call", "load", "purge"});
}

bool mariadb_wraps_in_compound(std::string_view stmt) {
  auto w = leading_words(stmt, 2);
  if (w.empty()) return false;
  // Stored programs cannot create or drop stored programs, and a compound
  // statement cannot hold another at the top; these run on their own.
  if (is_any(w[0], {"create", "alter", "drop"}))
    return !(w.size() > 1 &&
             is_any(w[1], {"procedure", "function", "trigger", "event", "package", "aggregate"}));
  return !is_any(w[0],
                 {"begin",    "lock",       "unlock",  "use",   "load",      "handler",  "prepare",
                  "execute",  "deallocate", "xa",      "flush", "delimiter", "start",    "commit",
                  "rollback", "savepoint",  "release", "set",   "signal",    "resignal", "help"});
}

}  // namespace retort
