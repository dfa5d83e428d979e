#include "core/revision.h"

#include <array>
#include <optional>

#include "core/error.h"
#include "core/sha256.h"
#include "core/sql_statements.h"
#include "core/text.h"

namespace retort {

bool is_valid_revision_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool Section::empty() const {
  size_t pos = 0;
  while (pos < sql.size()) {
    size_t end = sql.find('\n', pos);
    if (end == std::string::npos) end = sql.size();
    auto line = trim(std::string_view(sql).substr(pos, end - pos));
    if (!line.empty() && line.substr(0, 2) != "--") return false;
    pos = end + 1;
  }
  return true;
}

std::string Section::checksum() const {
  if (!known_checksum.empty()) return known_checksum;
  if (sql.find('\r') == std::string::npos) return sha256_hex(trim(sql));
  std::string folded;
  folded.reserve(sql.size());
  for (size_t i = 0; i < sql.size(); ++i)
    if (!(sql[i] == '\r' && i + 1 < sql.size() && sql[i + 1] == '\n')) folded += sql[i];
  return sha256_hex(trim(folded));
}

namespace {

constexpr std::array<std::string_view, 6> kHeaders = {"revision", "down_revision", "created",
                                                      "message",  "depends_on",    "branch_labels"};

// "-- key: value" -> key, value. Keys are lowercase words with '_'.
bool split_header(std::string_view line, std::string_view& key, std::string_view& value) {
  if (line.substr(0, 2) != "--") return false;
  auto rest = trim(line.substr(2));
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto k = rest.substr(0, colon);
  for (char c : k)
    if (!(std::islower(static_cast<unsigned char>(c)) || c == '_')) return false;
  key = k;
  value = trim(rest.substr(colon + 1));
  return true;
}

// A likely misspelling of a header, not a comment such as "-- decision: x":
// one edit away, or two for compound names like down_revison.
std::optional<std::string_view> closest_header(std::string_view key) {
  for (auto h : kHeaders) {
    size_t d = edit_distance(key, h);
    if (d <= 1 || (d == 2 && key.find('_') != std::string_view::npos)) return h;
  }
  return std::nullopt;
}

struct Parser {
  Parser(std::string_view t, const std::string& p, ParseDepth d) : text(t), path(p), depth(d) {}

  std::string_view text;
  const std::string& path;
  ParseDepth depth;
  Revision rev;
  ErrorList errors;
  bool seen_revision = false, seen_down = false;

  void fail(int line, const std::string& msg, std::string hint = {}) {
    Error e(msg);
    e.at(path, line);
    if (!hint.empty()) e.hint(std::move(hint));
    errors.add(std::move(e));
  }

  std::vector<std::string> id_list(std::string_view value, int line, std::string_view what) {
    auto ids = split_list(value);
    for (const auto& id : ids)
      if (!is_valid_revision_id(id))
        fail(line, "invalid revision id " + quoted_for_display(id) + " in " + std::string(what),
             "ids are letters, digits and '_'; separate several with commas");
    return ids;
  }

  void header(std::string_view key, std::string_view value, int line) {
    if (key == "revision") {
      if (seen_revision) return fail(line, "duplicate 'revision' header");
      seen_revision = true;
      rev.id_line = line;
      if (!is_valid_revision_id(value))
        return fail(line,
                    value.empty() ? "empty revision id"
                                  : "invalid revision id " + quoted_for_display(value),
                    "a revision id is letters, digits and '_' (no spaces, '@', '-', '+' or ':')");
      rev.id = value;
    } else if (key == "down_revision") {
      if (seen_down) return fail(line, "duplicate 'down_revision' header");
      seen_down = true;
      rev.down_revision_line = line;
      if (value == "None" || value == "none") value = {};  // as Alembic files write a root
      rev.down_revisions = id_list(value, line, "down_revision");
    } else if (key == "depends_on") {
      rev.depends_on_line = line;
      rev.depends_on = id_list(value, line, "depends_on");
    } else if (key == "branch_labels") {
      rev.branch_labels_line = line;
      rev.branch_labels = split_list(value);
      for (const auto& l : rev.branch_labels)
        if (!is_valid_revision_id(l))
          fail(line, "invalid branch label " + quoted_for_display(l),
               "labels are letters, digits and '_'");
    } else if (key == "message") {
      rev.message = value;
    } else if (key == "created") {
      rev.created = value;
    } else if (auto near = closest_header(key)) {
      fail(line, "unknown header '" + std::string(key) + "'",
           "did you mean '" + std::string(*near) + "'?");
    }
    // Other "-- word: text" lines are ordinary comments.
  }

  // "-- migrate:upgrade transaction:false" and friends.
  Section* marker(std::string_view line, int lineno) {
    auto rest = trim(line.substr(2));
    if (rest.substr(0, 8) != "migrate:") return nullptr;
    rest = rest.substr(8);
    size_t sp = rest.find_first_of(" \t");
    auto name = rest.substr(0, sp);
    auto opts = sp == std::string_view::npos ? std::string_view{} : trim(rest.substr(sp));
    Section* s = nullptr;
    if (name == "upgrade") {
      s = &rev.upgrade;
    } else if (name == "downgrade") {
      s = &rev.downgrade;
    } else {
      fail(lineno, "unknown section '-- migrate:" + std::string(name) + "'",
           "sections are '-- migrate:upgrade' and '-- migrate:downgrade'");
      return &scratch;
    }
    if (s->marker_line) {
      fail(lineno, "second '-- migrate:" + std::string(name) + "' section (the first is on line " +
                       std::to_string(s->marker_line) + ")");
      return &scratch;
    }
    s->marker_line = lineno;
    s->first_line = lineno + 1;
    for (const auto& opt : split_list(opts, ' ')) {
      if (opt == "transaction:false") {
        s->transactional = false;
      } else if (opt == "transaction:true") {
        s->transactional = true;
      } else if (opt == "irreversible" && s == &rev.downgrade) {
        s->irreversible = true;
      } else {
        fail(lineno, "unknown section option '" + opt + "'",
             s == &rev.downgrade ? "options are 'transaction:false' and 'irreversible'"
                                 : "the option is 'transaction:false'");
      }
    }
    return s;
  }

  Section scratch;  // swallows the text of a rejected section

  void run() {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
    if (auto nul = text.find('\0'); nul != std::string_view::npos)
      return fail(line_at(text, nul), "file contains a NUL byte",
                  "revision files are text; was a binary file saved under versions/?");

    Section* current = nullptr;
    size_t section_start = 0;
    auto close = [&](size_t end) {
      if (current) current->sql.assign(text.substr(section_start, end - section_start));
    };
    int lineno = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      ++lineno;
      size_t end = text.find('\n', pos);
      size_t next = end == std::string_view::npos ? text.size() : end + 1;
      auto line = trim(text.substr(pos, next - pos));
      if (line.substr(0, 2) == "--" && trim(line.substr(2)).substr(0, 8) == "migrate:") {
        if (depth == ParseDepth::kHeaders) break;  // the headers are all read
        close(pos);
        current = marker(line, lineno);
        section_start = next;
      } else if (!current) {
        std::string_view key, value;
        if (split_header(line, key, value)) {
          header(key, value, lineno);
        } else if (!line.empty() && line.substr(0, 2) != "--") {
          fail(lineno, "SQL before the first '-- migrate:upgrade' marker",
               "put statements under '-- migrate:upgrade' or '-- migrate:downgrade'");
          current = &scratch;  // report it once
          section_start = next;
        }
      }
      pos = next;
    }
    close(text.size());

    if (!seen_revision)
      fail(0, "missing '-- revision:' header", "add '-- revision: <id>' at the top");
    if (!seen_down)
      fail(0, "missing '-- down_revision:' header",
           "add '-- down_revision:' (empty for the first revision)");
    if (depth == ParseDepth::kHeaders) return;
    if (!rev.upgrade.marker_line) fail(0, "missing '-- migrate:upgrade' section");
    if (!rev.downgrade.marker_line)
      fail(0, "missing '-- migrate:downgrade' section",
           "add '-- migrate:downgrade' with the reverse SQL, or '-- migrate:downgrade "
           "irreversible'");
    if (rev.downgrade.irreversible && !rev.downgrade.empty())
      fail(rev.downgrade.marker_line, "an irreversible downgrade section must be empty",
           "remove the SQL below it, or remove 'irreversible'");
    for (const auto& d : rev.down_revisions)
      if (d == rev.id)
        fail(rev.down_revision_line, "revision '" + d + "' names itself as down_revision",
             "down_revision names the revision this one comes after");
    for (const auto& d : rev.depends_on)
      if (d == rev.id)
        fail(rev.depends_on_line, "revision '" + d + "' names itself in depends_on",
             "depends_on names older revisions this one needs: remove '" + d + "' from it");
  }
};

}  // namespace

void check_section(const Revision& rev, const Section& s, ErrorList& errors,
                   const sql::LexerOptions& options) {
  if (!s.marker_line) return;
  // One split serves both checks: upgrade runs this over every planned section.
  LexNotes notes;
  const auto spans = sql::split_statements(s.sql, options, &notes);
  for (auto& e : unrunnable_text(s.sql, spans, notes, rev.path, s.first_line))
    errors.add(std::move(e));
  if (!s.transactional) return;
  for (const auto& st : spans)
    if (ends_transaction(s.sql, st))
      errors.add(transaction_control_error(s.sql, st, rev.path, s.first_line));
}

void check_statements(const Revision& rev, const sql::LexerOptions& options) {
  ErrorList errors;
  check_section(rev, rev.upgrade, errors, options);
  check_section(rev, rev.downgrade, errors, options);
  errors.throw_if_any();
}

Revision parse_revision(std::string_view text, const std::string& path, ParseDepth depth) {
  Parser p{text, path, depth};
  p.rev.path = path;
  p.run();
  p.errors.throw_if_any();
  return std::move(p.rev);
}

}  // namespace retort
