// pg_dump's output as models: names it qualifies with the compared schema
// (public.t) are made to name the scratch schema instead, and what sets up
// its session or the objects' owners and privileges (SET, set_config,
// \restrict, ALTER ... OWNER TO, GRANT, REVOKE) is left out. Lines keep
// their numbers, so an error still names the model's own line.
#include "backend/postgres/postgres.h"
#include "core/text.h"
#include "sql/lexer.h"
#include "sql/statements.h"
#include "sql/tokens.h"

namespace retort {

namespace {

// Spaces over [begin, end), newlines kept.
void blank(std::string& s, size_t begin, size_t end) {
  for (size_t i = begin; i < end && i < s.size(); ++i)
    if (s[i] != '\n') s[i] = ' ';
}

// A statement that sets up pg_dump's session or says who owns or may use
// an object: nothing a schema comparison reads.
bool is_session_or_ownership(const std::vector<SqlToken>& t) {
  if (t.empty()) return false;
  if (t[0].is_word("SET") || t[0].is_word("RESET") || t[0].is_word("GRANT") ||
      t[0].is_word("REVOKE"))
    return true;
  // SELECT pg_catalog.set_config('search_path', '', false);
  if (t[0].is_word("SELECT") && t.size() > 1) {
    size_t i = 1;
    if (t.size() > 3 && t[1].is_word("PG_CATALOG") && t[2].is('.')) i = 3;
    if (t[i].is_word("SET_CONFIG")) return true;
  }
  if (t[0].is_word("ALTER") && t.size() > 3)
    for (size_t i = 1; i + 1 < t.size(); ++i)
      if (t[i].is_word("OWNER") && t[i + 1].is_word("TO")) return true;
  return false;
}

}  // namespace

std::string postgres_models_for_scratch(const std::string& sql, const std::string& target_schema,
                                        const std::string& scratch) {
  std::string out = sql;
  LexNotes notes;
  auto spans = sql::split_statements(sql, sql::LexerOptions::postgres(), &notes);
  // psql's \restrict KEY and \unrestrict KEY (pg_dump 17.6+), \connect ...
  for (size_t at : notes.client_commands) {
    size_t eol = sql.find('\n', at);
    blank(out, at, eol == std::string::npos ? sql.size() : eol);
  }
  // Replaced from the end, so earlier offsets stay valid.
  std::vector<std::pair<size_t, size_t>> qualifiers;
  for (const auto& span : spans) {
    std::string_view text(sql.data() + span.begin, span.end - span.begin);
    auto t = tokenize_sql(text);
    if (is_session_or_ownership(t)) {
      blank(out, span.begin, span.end);
      continue;
    }
    if (target_schema.empty()) continue;
    for (size_t i = 0; i + 2 < t.size(); ++i) {
      // nextval('public.t_id_seq'::regclass): a name in a string, cast.
      if (t[i].kind == SqlToken::kString && t[i].text.size() > 2) {
        bool cast = false;
        for (size_t j = i + 1; j < t.size() && j <= i + 3; ++j)
          if (t[j].is_word("REGCLASS")) cast = true;
        const std::string prefix = "'" + target_schema + ".";
        if (cast && t[i].text.compare(0, prefix.size(), prefix) == 0)
          qualifiers.emplace_back(span.begin + t[i].begin + 1,
                                  span.begin + t[i].begin + prefix.size() - 1);
        continue;
      }
      if (!t[i + 1].is('.')) continue;
      bool names_target =
          (t[i].kind == SqlToken::kWord && same_name(t[i].text, target_schema)) ||
          (t[i].kind == SqlToken::kQuotedName && unquote_name(t[i]) == target_schema);
      // Not the second part of a longer name (t.public.x is no schema).
      if (names_target && (i == 0 || !t[i - 1].is('.')))
        qualifiers.emplace_back(span.begin + t[i].begin, span.begin + t[i].end);
    }
  }
  for (auto it = qualifiers.rbegin(); it != qualifiers.rend(); ++it)
    out.replace(it->first, it->second - it->first, quote_ident(scratch));
  return out;
}

}  // namespace retort
