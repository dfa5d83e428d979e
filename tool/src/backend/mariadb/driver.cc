// The MariaDB (and MySQL) driver: the only file that includes <mysql.h>.
//
// Every call to the server goes through libmariadb's non-blocking API, so
// that one loop (wait()) bounds the connection's start-up by the connect
// timeout and turns Ctrl-C into KILL QUERY from a second connection: the
// server stops the statement and rolls its transaction back, and nothing is
// done in the signal handler but setting a flag.
#include <mysql.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "backend/mariadb/mariadb.h"
#include "backend/module.h"
#include "core/error.h"
#include "core/sql_statements.h"
#include "core/text.h"

namespace retort {

namespace {

using Clock = std::chrono::steady_clock;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string query_value(const DatabaseUrl& url, std::string_view key) {
  for (const auto& [k, v] : url.query)
    if (k == key) return v;
  return {};
}

// GET_LOCK() names are at most 64 characters: the version table's name,
// hashed when it is longer, keeps deployers of one table apart.
std::string lock_name(const std::string& version_table) {
  std::string name = "retort:" + version_table;
  if (name.size() <= 64) return name;
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : version_table) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "retort:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

struct ResultSet {
  MYSQL_RES* r = nullptr;
  explicit ResultSet(MYSQL_RES* res) : r(res) {}
  ResultSet(const ResultSet&) = delete;
  ResultSet& operator=(const ResultSet&) = delete;
  ~ResultSet() {
    if (r) mysql_free_result(r);
  }
};

// Errors the server reports for its own condition, not for the SQL.
ErrorCategory fault_category(unsigned code) {
  switch (code) {
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1213:  // ER_LOCK_DEADLOCK
      return ErrorCategory::kLock;
    case 1021:  // ER_DISK_FULL
    case 1037:  // ER_OUTOFMEMORY
    case 1040:  // ER_CON_COUNT_ERROR
    case 1114:  // ER_RECORD_FILE_FULL
    case 3:     // EE_WRITE (disk full while writing)
      return ErrorCategory::kResource;
    default:
      return code >= 2000 && code < 3000 ? ErrorCategory::kConnection : ErrorCategory::kInternal;
  }
}

// Whether a statement can leave the session changed for the next revision:
// SET and USE, and what runs code that may (CALL, EXECUTE, a compound
// block). reset_session() is a few round trips, so revisions of plain DDL
// and DML are spared it.
bool may_change_session(std::string_view stmt) {
  auto toks = sql::tokens(stmt, sql::LexerOptions::mariadb());
  if (toks.empty()) return false;
  std::string_view first = stmt.substr(toks[0].begin, toks[0].size());
  for (const char* kw : {"set", "use", "call", "execute", "prepare", "do", "begin", "lock",
                         "handler", "load", "create", "select"}) {
    if (!sql::keyword_is(first, kw)) continue;
    // CREATE changes the session only as CREATE TEMPORARY; SELECT only
    // through @@session or @variables.
    if (sql::keyword_is(first, "create"))
      return toks.size() > 1 &&
             (sql::keyword_is(stmt.substr(toks[1].begin, toks[1].size()), "temporary") ||
              sql::keyword_is(stmt.substr(toks[1].begin, toks[1].size()), "or"));
    if (sql::keyword_is(first, "select")) return stmt.find('@') != std::string_view::npos;
    return true;
  }
  return false;
}

bool is_select(std::string_view sql) {
  auto toks = sql::tokens(sql, sql::LexerOptions::mariadb());
  return !toks.empty() && sql::keyword_is(sql.substr(toks[0].begin, toks[0].size()), "select");
}

bool is_fault(unsigned code) {
  return fault_category(code) != ErrorCategory::kInternal;
}

class MariadbDriver final : public Driver {
 public:
  MariadbDriver(const DatabaseUrl& url, const DriverOptions& options)
      : url_(url), options_(options), bookkeeping_(make_mariadb_bookkeeping()) {}

  ~MariadbDriver() override {
    if (conn_) mysql_close(conn_);
  }

  void open() {
    register_secret(url_.password);
    // libmariadb sends $MYSQL_PWD when the URL has no password.
    if (const char* pw = std::getenv("MYSQL_PWD")) register_secret(pw);
    conn_ = connect_session(connect_timeout_s(), "connect to");
    setup_pending_ = true;
  }

  const BookkeepingSql& bookkeeping() const override { return *bookkeeping_; }
  const Backend& backend() const override { return mariadb_backend(); }
  std::string describe() const override { return url_.redacted(); }

  // START TRANSACTION goes with the transaction's first statement: InnoDB
  // takes its snapshot at the first read anyway, and a revision's
  // bookkeeping then costs one round trip (reset_and_record()).
  void begin() override {
    in_transaction_ = true;
    begin_pending_ = true;
  }

  void commit() override {
    in_transaction_ = false;
    if (std::exchange(begin_pending_, false)) return;  // nothing ran in it
    run("COMMIT", "cannot commit");
  }

  void rollback() noexcept override {
    in_transaction_ = false;
    if (std::exchange(begin_pending_, false)) return;
    if (!conn_) return;
    try {
      run("ROLLBACK", "cannot roll back");
    } catch (...) {  // the connection is gone: the server rolls back itself
    }
  }

  // One statement per call, as the mariadb client sends them: the server
  // then names the failing statement, and BEGIN ... END bodies stay whole.
  void execute(std::string_view sql, const SqlOrigin& origin) override {
    auto spans = sql::split_statements(sql, sql::LexerOptions::mariadb());
    if (spans.empty()) return;
    start_pending_transaction();
    if (in_transaction_)
      for (const auto& span : spans)
        if (ends_transaction(sql, span))
          throw transaction_control_error(sql, span, origin.file, origin.first_line);
    const bool users = !origin.file.empty();
    for (const auto& span : spans) {
      std::string_view text = sql.substr(span.begin, span.end - span.begin);
      if (users && !session_dirty_) session_dirty_ = may_change_session(text);
      if (!send(text)) throw statement_error(sql, origin, span);
      if (!drain_results()) throw statement_error(sql, origin, span);
      if (users && mysql_warning_count(conn_) > 0) collect_warnings();
    }
  }

  // BEGIN NOT ATOMIC <statement>; <record> END: the server runs both, also
  // when retort is killed while the statement runs (it notices a client
  // gone only when it next writes to it). On the statement's own line, so
  // that the server's "at line N" still counts from it.
  bool execute_recorded(std::string_view statement, const SqlOrigin& origin,
                        std::string_view record) override {
    if (in_transaction_ || !mariadb_wraps_in_compound(statement)) return false;
    start_pending_setup();
    std::string_view body = statement;
    while (!body.empty() && (body.back() == ' ' || (body.back() >= '\t' && body.back() <= '\r')))
      body.remove_suffix(1);
    if (!body.empty() && body.back() == ';') body.remove_suffix(1);
    std::string text =
        "BEGIN NOT ATOMIC " + std::string(body) + "\n;\n" + std::string(record) + "\nEND";
    const bool users = !origin.file.empty();
    if (users && !session_dirty_) session_dirty_ = may_change_session(statement);
    if (!send(text) || !drain_results()) {
      // A statement stored programs refuse (ER_SP_BADSTATEMENT), or one the
      // parser refuses (ER_PARSE_ERROR, of the whole block before any of it
      // ran): nothing ran, and the caller runs it alone, so the server's
      // error is about the statement as written.
      unsigned code = mysql_errno(conn_);
      if (code == 1314 || code == 1064) return false;
      StatementSpan whole{0, statement.size()};
      throw statement_error(statement, origin, whole);
    }
    if (users && mysql_warning_count(conn_) > 0) collect_warnings();
    return true;
  }

  // retort's own statements, with a deferred START TRANSACTION and the
  // COMMIT, as one compound statement: one round trip where the mariadb
  // client takes one per statement. The server stops at a failing one; the
  // Transaction then rolls back.
  void reset_and_record(std::string_view sql, bool and_commit) override {
    reset_session();
    start_pending_setup();
    std::string block;
    for (const auto& span : sql::split_statements(sql, sql::LexerOptions::mariadb())) {
      std::string_view stmt = trim(sql.substr(span.begin, span.end - span.begin));
      block.append(stmt).append(stmt.empty() || stmt.back() != ';' ? ";\n" : "\n");
    }
    if (block.empty() && !and_commit) return;
    if (std::exchange(begin_pending_, false)) block.insert(0, "START TRANSACTION;\n");
    if (and_commit) block += "COMMIT;\n";
    run("BEGIN NOT ATOMIC\n" + block + "END", "cannot record the revision");
    if (and_commit) in_transaction_ = false;
  }

  Rows query(std::string_view sql) override {
    std::string first;
    if (setup_pending_ && !begin_pending_ && is_select(sql)) {
      // The session's setup and its first query in one round trip: a
      // compound statement returns its SELECT's rows as a procedure does.
      std::string_view q = trim(sql);
      if (!q.empty() && q.back() == ';') q.remove_suffix(1);
      first = "BEGIN NOT ATOMIC " + setup_sql() + ";\n" + std::string(q) + ";\nEND";
      sql = first;
      setup_pending_ = false;
    }
    start_pending_transaction();
    if (!send(sql)) throw server_error("query failed");
    Rows rows;
    MYSQL_RES* res = store_result();
    if (!res) {
      if (mysql_errno(conn_)) throw server_error("query failed");
      drain_results();
      return rows;
    }
    ResultSet rs(res);
    unsigned n = mysql_num_fields(res);
    rows.reserve(mysql_num_rows(res));
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
      unsigned long* len = mysql_fetch_lengths(res);
      Row out;
      out.reserve(n);
      for (unsigned j = 0; j < n; ++j) {
        if (!row[j])
          out.emplace_back();
        else
          out.emplace_back(std::string(row[j], len[j]));
      }
      rows.push_back(std::move(out));
    }
    if (!drain_results()) throw server_error("query failed");
    return rows;
  }

  // GET_LOCK() waits on the server, bounded by the lock timeout; the lock
  // goes with the connection, also when retort is killed.
  void lock_run(const std::string& version_table) override {
    std::string name = lock_name(version_table);
    char timeout[32];
    std::snprintf(timeout, sizeof timeout, "%.3f", options_.lock_timeout_ms / 1000.0);
    Rows r = query("SELECT GET_LOCK(" + bookkeeping_->string_literal(name) + ", " + timeout + ")");
    if (!r.empty() && !r[0].empty() && r[0][0] == "1") {
      lock_name_ = name;
      return;
    }
    if (stop_requested_.load())
      throw Error("interrupted while waiting for another deployer's lock; nothing was applied");
    char waited[32];
    std::snprintf(waited, sizeof waited, "%g", options_.lock_timeout_ms / 1000.0);
    throw Error("another deployer holds the lock on " + version_table + " in " + url_.redacted() +
                " (waited " + waited + " s)")
        .hint(
            "another retort upgrade, downgrade or stamp is running against this database; "
            "retry, or raise --lock-timeout")
        .lock();
  }

  void unlock_run() noexcept override {
    if (lock_name_.empty() || !conn_) return;
    try {
      query("SELECT RELEASE_LOCK(" + bookkeeping_->string_literal(lock_name_) + ")");
    } catch (...) {  // the lock goes with the connection
    }
    lock_name_.clear();
  }

  // COM_RESET_CONNECTION would also release the run's GET_LOCK(), so what
  // a revision can change is put back by hand: every session variable that
  // differs from the server's global value (sql_mode, time_zone, autocommit,
  // foreign_key_checks, ...), the character set the driver asked for, and
  // the URL's database after a USE.
  void reset_session() override {
    if (!session_dirty_ || in_transaction_) return;
    const char* what = "cannot restore the session after a revision";
    for (auto& row : query(
             "SELECT s.variable_name FROM information_schema.session_variables s JOIN "
             "information_schema.global_variables g ON g.variable_name = s.variable_name WHERE "
             "NOT (s.variable_value <=> g.variable_value) AND s.variable_name NOT LIKE "
             "'character_set_%' AND s.variable_name NOT LIKE 'collation_%' AND s.variable_name "
             "NOT IN ('LOCK_WAIT_TIMEOUT', 'INNODB_LOCK_WAIT_TIMEOUT', 'PSEUDO_THREAD_ID', "
             "'TIMESTAMP', 'LAST_INSERT_ID', 'INSERT_ID', 'IDENTITY', 'RAND_SEED1', 'RAND_SEED2', "
             "'WARNING_COUNT', 'ERROR_COUNT', 'LAST_GTID', 'GTID_SEQ_NO', 'IN_TRANSACTION', "
             "'PROXY_USER', 'EXTERNAL_USER', 'SERVER_ID', 'THREAD_POOL_PRIORITY')")) {
      std::string name = to_lower(row.at(0).text());
      // Read-only and session-only variables refuse DEFAULT; the rest take it.
      if (!send("SET SESSION " + name + " = DEFAULT") || !drain_results()) {
        unsigned code = mysql_errno(conn_);
        if (code != 1238 && code != 1228 && code != 1231 && code != 1193) throw server_error(what);
      }
    }
    std::string charset = query_value(url_, "charset");
    if (mysql_set_character_set(conn_, charset.empty() ? "utf8mb4" : charset.c_str()) != 0)
      throw server_error(what);
    if (!url_.database.empty() && mysql_select_db(conn_, url_.database.c_str()) != 0)
      throw server_error(what);
    setup_pending_ = true;
    session_dirty_ = false;
  }

  void interrupt() noexcept override { stop_requested_.store(true); }

  std::vector<DatabaseMessage> take_messages() override { return std::exchange(messages_, {}); }

 private:
  // What a stop request (Ctrl-C) does while wait() waits.
  enum class OnStop { kThrow, kKill, kIgnore };

  std::string where() const { return url_.redacted() + " (from " + url_.source + ")"; }

  int connect_timeout_s() const {
    std::string v = query_value(url_, "connect_timeout");
    return v.empty() ? kDefaultConnectTimeout : std::atoi(v.c_str());
  }

  // A new session with the URL's settings: the driver's own, and the one
  // that sends KILL QUERY for it.
  MYSQL* connect_session(int timeout_s, const char* what, OnStop on_stop = OnStop::kThrow) {
    MYSQL* m = mysql_init(nullptr);
    if (!m) throw Error("cannot " + std::string(what) + " " + where() + ": out of memory");
    struct Guard {
      MYSQL*& m;
      ~Guard() {
        if (m) mysql_close(m);
      }
    } guard{m};
    mysql_optionsv(m, MYSQL_OPT_NONBLOCK, 0);
    std::string charset = query_value(url_, "charset");
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, charset.empty() ? "utf8mb4" : charset.c_str());
    mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, nullptr);
    set_tls(m);
    std::string socket = query_value(url_, "unix_socket");
    // ?password= wins, as in SQLAlchemy; then the URL's (possibly empty:
    // user:@host); none at all lets libmariadb take $MYSQL_PWD.
    std::string password = query_value(url_, "password");
    bool in_query = false;
    for (const auto& kv : url_.query)
      in_query |= kv.first == "password";
    const char* pw = in_query            ? password.c_str()
                     : url_.has_password ? url_.password.c_str()
                                         : nullptr;
    unsigned port = url_.port.empty() ? 0 : static_cast<unsigned>(std::atoi(url_.port.c_str()));
    auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
    MYSQL* ret = nullptr;
    int status =
        mysql_real_connect_start(&ret, m, url_.host.empty() ? nullptr : url_.host.c_str(),
                                 url_.user.empty() ? nullptr : url_.user.c_str(), pw,
                                 url_.database.empty() ? nullptr : url_.database.c_str(), port,
                                 socket.empty() ? nullptr : socket.c_str(), CLIENT_MULTI_RESULTS);
    while (status) {
      status = wait(m, status, timeout_s > 0 ? &deadline : nullptr, on_stop);
      if (status < 0) throw timeout_error(timeout_s, "the server did not complete the connection");
      status = mysql_real_connect_cont(&ret, m, status);
    }
    if (!ret) throw connect_error(m);
    MYSQL* done = m;
    m = nullptr;
    return done;
  }

  void set_tls(MYSQL* m) const {
    my_bool yes = 1;
    std::string mode = to_lower(query_value(url_, "ssl_mode"));
    if (mode == "required" || mode == "verify_ca" || mode == "verify_identity")
      mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
    if (mode == "verify_ca" || mode == "verify_identity")
      mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
    for (auto [key, opt] :
         {std::pair{"ssl_ca", MYSQL_OPT_SSL_CA}, std::pair{"ssl_capath", MYSQL_OPT_SSL_CAPATH},
          std::pair{"ssl_cert", MYSQL_OPT_SSL_CERT}, std::pair{"ssl_key", MYSQL_OPT_SSL_KEY}}) {
      std::string v = query_value(url_, key);
      if (!v.empty()) mysql_optionsv(m, opt, v.c_str());
    }
  }

  // --lock-timeout bounds every lock wait, not only GET_LOCK(): metadata
  // locks (a session holding LOCK TABLES) and InnoDB row locks, in whole
  // seconds as the server counts them.
  // The lock timeouts, which bound every wait for a table's lock (the
  // default is a year). Sent with the session's first statement.
  std::string setup_sql() const {
    long long s = (options_.lock_timeout_ms + 999) / 1000;
    std::string secs = std::to_string(std::max(1LL, s));
    return "SET SESSION lock_wait_timeout = " + secs + ", innodb_lock_wait_timeout = " + secs;
  }

  void start_pending_setup() {
    if (std::exchange(setup_pending_, false)) run(setup_sql(), "cannot set up the session");
  }

  // Waits for what libmariadb asked for (`status`, MYSQL_WAIT_*); returns
  // what happened, or -1 once `deadline` has passed. On a stop request,
  // kKill sends KILL QUERY once and keeps waiting for the server's answer.
  int wait(MYSQL* m, int status, const Clock::time_point* deadline, OnStop on_stop) {
    using namespace std::chrono;
    while (true) {
      if (on_stop != OnStop::kIgnore && stop_requested_.load()) {
        if (on_stop == OnStop::kThrow) throw Error("interrupted while connecting to " + where());
        if (!kill_sent_) kill_running_query();
      }
      long long wait_ms = 100;
      if (deadline) {
        long long left = duration_cast<milliseconds>(*deadline - Clock::now()).count();
        if (left <= 0) return -1;
        wait_ms = std::min(left, wait_ms);
      }
      if (status & MYSQL_WAIT_TIMEOUT)
        wait_ms = std::min<long long>(wait_ms, mysql_get_timeout_value_ms(m));
      short events = 0;
      if (status & MYSQL_WAIT_READ) events |= POLLIN;
      if (status & MYSQL_WAIT_WRITE) events |= POLLOUT;
      if (status & MYSQL_WAIT_EXCEPT) events |= POLLPRI;
      pollfd p{mysql_get_socket(m), events, 0};
      int n = ::poll(&p, 1, static_cast<int>(wait_ms));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return status & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE);  // the library reports it
      if (n == 0) {
        if ((status & MYSQL_WAIT_TIMEOUT) && mysql_get_timeout_value_ms(m) <= wait_ms)
          return MYSQL_WAIT_TIMEOUT;
        continue;
      }
      int ready = 0;
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) ready |= MYSQL_WAIT_READ;
      if (p.revents & (POLLOUT | POLLHUP | POLLERR)) ready |= MYSQL_WAIT_WRITE;
      if (p.revents & POLLPRI) ready |= MYSQL_WAIT_EXCEPT;
      return ready & (status | MYSQL_WAIT_READ);
    }
  }

  // From a second session, as the mariadb client does on Ctrl-C.
  void kill_running_query() {
    kill_sent_ = true;
    unsigned long id = mysql_thread_id(conn_);
    MYSQL* k = nullptr;
    try {
      k = connect_session(5, "interrupt the statement on", OnStop::kIgnore);
      std::string sql = "KILL QUERY " + std::to_string(id);
      mysql_real_query(k, sql.c_str(), sql.size());
    } catch (...) {  // the statement then runs to its end
    }
    if (k) mysql_close(k);
  }

  void start_pending_transaction() {
    start_pending_setup();
    if (std::exchange(begin_pending_, false))
      run("START TRANSACTION", "cannot begin a transaction");
  }

  // Sends one statement and reads its first result's status; false on error.
  bool send(std::string_view sql) {
    kill_sent_ = false;
    int ret = 0;
    int status = mysql_real_query_start(&ret, conn_, sql.data(), sql.size());
    while (status)
      status = mysql_real_query_cont(&ret, conn_, wait(conn_, status, nullptr, OnStop::kKill));
    return ret == 0;
  }

  MYSQL_RES* store_result() {
    MYSQL_RES* res = nullptr;
    int status = mysql_store_result_start(&res, conn_);
    while (status)
      status = mysql_store_result_cont(&res, conn_, wait(conn_, status, nullptr, OnStop::kKill));
    return res;
  }

  // Reads and drops every result left (a CALL returns several); false when
  // one of them is an error.
  bool drain_results() {
    while (true) {
      if (MYSQL_RES* res = store_result()) mysql_free_result(res);
      if (mysql_errno(conn_)) return false;
      if (!mysql_more_results(conn_)) return true;
      int ret = 0;
      int status = mysql_next_result_start(&ret, conn_);
      while (status)
        status = mysql_next_result_cont(&ret, conn_, wait(conn_, status, nullptr, OnStop::kKill));
      if (ret > 0) return false;
      if (ret < 0) return true;
    }
  }

  void run(const std::string& sql, const char* what) {
    if (!send(sql) || !drain_results()) throw server_error(what);
  }

  void collect_warnings() {
    try {
      for (auto& row : query("SHOW WARNINGS"))
        if (row.size() >= 3) {
          std::string level = row[0];
          for (char& c : level)
            c = sql::ascii_upper(c);
          messages_.push_back({level == "NOTE" ? "NOTICE" : level, redact_secrets(row[2])});
        }
    } catch (const Error&) {  // warnings are a courtesy
    }
  }

  std::string sqlstate_suffix() const {
    return " (MariaDB error " + std::to_string(mysql_errno(conn_)) + ", SQLSTATE " +
           mysql_sqlstate(conn_) + ")";
  }

  Error timeout_error(int timeout_s, const std::string& what) const {
    return Error("cannot connect to " + where() + ": " + what + " within " +
                 std::to_string(timeout_s) + " s (connect_timeout)")
        .hint(
            "is MariaDB running there and answering? check the host and port in the URL, e.g. "
            "with mariadb-admin ping; a slow server needs a longer ?connect_timeout=30")
        .connection();
  }

  Error connect_error(MYSQL* m) const {
    unsigned code = mysql_errno(m);
    std::string msg = redact_secrets(mysql_error(m));
    Error e("cannot connect to " + where() + ": " + msg);
    e.category(ErrorCategory::kConnection);
    switch (code) {
      case 1045:  // ER_ACCESS_DENIED_ERROR
      case 1698:  // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
        return e.hint(
            "authentication failed: check the user and password in the URL, and that the "
            "server has that user for this host (SELECT user, host FROM mysql.user)");
      case 1049:  // ER_BAD_DB_ERROR
        return e.hint("the server is up but has no database '" + url_.database +
                      "': create it (CREATE DATABASE `" + url_.database + "`) or fix the URL");
      case 1044:  // ER_DBACCESS_DENIED_ERROR
        return e.hint("the user may not use database '" + url_.database +
                      "': GRANT it the privileges, or fix the URL");
      case 2002:  // CR_CONNECTION_ERROR (socket)
      case 2003:  // CR_CONN_HOST_ERROR
      case 2005:  // CR_UNKNOWN_HOST
        return e.hint(
            "is MariaDB running and accepting connections there? check the host and port (or "
            "?unix_socket=) in the URL, e.g. with mariadb-admin ping");
      case 2026:  // CR_SSL_CONNECTION_ERROR
        return e.hint("TLS failed: check ssl_mode and the ssl_ca, ssl_cert, ssl_key files");
      default:
        if (contains(msg, "timeout") || contains(msg, "Timeout"))
          return e.hint("no answer within the connect timeout (?connect_timeout=SECONDS)");
        return e.hint("check the URL and that the server accepts connections from this host");
    }
  }

  Error server_error(const std::string& what) const {
    unsigned code = mysql_errno(conn_);
    if (code == 0) return Error(what + " on " + url_.redacted()).connection();
    Error e(what + ": " + redact_secrets(mysql_error(conn_)) + sqlstate_suffix());
    add_server_hints(e, code);
    return e;
  }

  void add_server_hints(Error& e, unsigned code) const {
    std::string state = mysql_sqlstate(conn_);
    if (code == 1205) {
      char waited[32];
      std::snprintf(waited, sizeof waited, "%g", options_.lock_timeout_ms / 1000.0);
      e.hint("another session holds a lock this statement needs (waited " + std::string(waited) +
             " s); find it with SHOW PROCESSLIST, or raise --lock-timeout");
    } else if (code == 1213) {
      e.hint("another session's transaction conflicted with this one; run again");
    } else if (code == 1317) {  // ER_QUERY_INTERRUPTED
      e.hint("the statement was stopped (KILL QUERY) and its transaction rolled back");
    } else if (code == 2006 || code == 2013) {
      e.hint("the connection to the server was lost; check the server and run again");
    }
    if (is_fault(code)) e.category(fault_category(code));
    if (state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0) e.rows();
    if (state.rfind("42", 0) == 0) e.syntax();
  }

  // The error of the statement at `span` of `sql`, at its line in the file;
  // a syntax error's "at line N" counts from the statement's first line.
  Error statement_error(std::string_view sql, const SqlOrigin& origin,
                        const StatementSpan& span) const {
    unsigned code = mysql_errno(conn_);
    if (code == 0) return server_error("cannot run SQL");
    std::string msg = redact_secrets(mysql_error(conn_));
    int line = line_at(sql, span.begin, origin.first_line);
    if (auto at = msg.rfind(" at line "); code == 1064 && at != std::string::npos)
      line += std::max(0, std::atoi(msg.c_str() + at + 9) - 1);
    Error e(msg + sqlstate_suffix());
    e.at(origin.file, origin.file.empty() ? 0 : line);
    add_server_hints(e, code);
    e.hint("in statement: " + statement_excerpt(sql.substr(span.begin, span.end - span.begin)));
    return e;
  }

  DatabaseUrl url_;
  DriverOptions options_;
  std::unique_ptr<BookkeepingSql> bookkeeping_;
  static constexpr int kDefaultConnectTimeout = 10;  // seconds
  MYSQL* conn_ = nullptr;
  bool in_transaction_ = false;
  bool setup_pending_ = false;  // setup_sql() not sent yet
  bool begin_pending_ = false;  // begin() sent nothing yet
  bool session_dirty_ = false;
  bool kill_sent_ = false;
  std::atomic<bool> stop_requested_{false};  // set by interrupt(), from a signal handler
  std::vector<DatabaseMessage> messages_;
  std::string lock_name_;
};

}  // namespace

}  // namespace retort

namespace {

retort::Driver* open_mariadb(const retort::DatabaseUrl& url, const retort::DriverOptions& options) {
  auto d = std::make_unique<retort::MariadbDriver>(url, options);
  d->open();
  return d.release();
}

}  // namespace

// The module's one exported symbol (backend/module.h). A missing database is
// an error here, never "not created yet".
extern "C" __attribute__((visibility("default"))) const retort::DriverModule*
RETORT_DRIVER_MODULE_ENTRY() {
  static const retort::DriverModule module{retort::kDriverModuleAbi, "mariadb", RETORT_BUILD_ID,
                                           open_mariadb};
  return &module;
}
