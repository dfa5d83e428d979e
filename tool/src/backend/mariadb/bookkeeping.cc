// MariaDB's bookkeeping SQL, which MySQL takes too. No libmariadb here: the
// offline --sql script uses these statements without a server.
#include "backend/bookkeeping.h"
#include "backend/mariadb/mariadb.h"
#include "core/text.h"

namespace retort {

namespace {

class MariadbBookkeeping final : public BookkeepingSql {
 public:
  std::string name() const override { return "mariadb"; }
  // Writers are kept apart by GET_LOCK(), held for the whole run.
  std::string begin_transaction() const override { return "START TRANSACTION;"; }
  std::string now() const override { return "UTC_TIMESTAMP(3)"; }
  // InnoDB, so that a revision's DML and its bookkeeping commit together.
  std::string create_bookkeeping(const std::string& version_table,
                                 const std::string& log_table) const override {
    return "CREATE TABLE IF NOT EXISTS " + quote_name(version_table) +
           " (\n  version_num VARCHAR(128) NOT NULL PRIMARY KEY\n) ENGINE=InnoDB;\n"
           "CREATE TABLE IF NOT EXISTS " +
           quote_name(log_table) +
           " (\n"
           "  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
           "  revision VARCHAR(128) NOT NULL,\n"
           "  direction VARCHAR(16) NOT NULL,\n"
           "  checksum CHAR(64),\n"
           "  started_at DATETIME(3) NOT NULL,\n"
           "  finished_at DATETIME(3) NOT NULL,\n"
           "  duration_ms BIGINT,\n"
           "  applied_by TEXT,\n"
           "  host TEXT\n) ENGINE=InnoDB;\n";
  }
  // With lower_case_table_names = 0 (Linux) names are case-sensitive, as
  // the server resolves them; otherwise they are stored in lower case.
  std::string find_table_query(const std::string& table) const override {
    auto dot = table.rfind('.');
    std::string schema =
        dot == std::string::npos ? std::string("DATABASE()") : string_literal(table.substr(0, dot));
    std::string name = string_literal(dot == std::string::npos ? table : table.substr(dot + 1));
    return "SELECT CASE table_type WHEN 'BASE TABLE' THEN 'table' WHEN 'VIEW' THEN 'view' "
           "WHEN 'SYSTEM VIEW' THEN 'view' WHEN 'SEQUENCE' THEN 'sequence' ELSE "
           "LOWER(table_type) END, table_schema, table_name FROM information_schema.tables "
           "WHERE table_schema = " +
           schema + " AND (BINARY table_name = BINARY " + name +
           " OR (@@lower_case_table_names <> 0 AND table_name = " + name + "))";
  }
  std::string current_schema_query() const override { return "SELECT DATABASE()"; }
  std::string quote_identifier(const std::string& name) const override {
    std::string out = "`";
    for (char c : name)
      out += c == '`' ? std::string("``") : std::string(1, c);
    return out + "`";
  }
  // A backslash is an escape unless sql_mode has NO_BACKSLASH_ESCAPES; a
  // hex literal reads the same under either.
  std::string string_literal(const std::string& text) const override {
    if (text.find('\\') == std::string::npos) return quote_sql_string(text);
    static const char* digits = "0123456789abcdef";
    std::string out = "X'";
    for (unsigned char c : text) {
      out += digits[c >> 4];
      out += digits[c & 15];
    }
    return out + "'";
  }
  // DATETIME holds no offset; retort's times are UTC.
  std::string time_literal(const std::string& utc) const override {
    std::string t = utc;
    if (t.size() > 6 && t.compare(t.size() - 6, 6, "+00:00") == 0) t.resize(t.size() - 6);
    return string_literal(t);
  }
};

}  // namespace

std::unique_ptr<BookkeepingSql> make_mariadb_bookkeeping() {
  return std::make_unique<MariadbBookkeeping>();
}

}  // namespace retort
