// The PostgreSQL driver: the only file that includes <libpq-fe.h>.
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <utility>

#include "backend/module.h"
#include "backend/postgres/postgres.h"
#include "core/error.h"
#include "core/sql_statements.h"
#include "core/text.h"

namespace retort {

namespace {

// The first line of a libpq message, without "FATAL:  " and trailing space.
std::string first_line(const char* text) {
  std::string_view s = text ? text : "";
  s = trim(s.substr(0, s.find('\n')));
  return std::string(s);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// A stable 64-bit key for pg_advisory_lock, from the version table's name:
// deployers of one version table exclude each other, others do not.
long long advisory_key(const std::string& version_table) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : "retort:" + version_table) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<long long>(h);
}

class Result {
 public:
  explicit Result(PGresult* r = nullptr) : r_(r) {}
  ~Result() {
    if (r_) PQclear(r_);
  }
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result& operator=(Result&& o) noexcept {
    if (this != &o) {
      if (r_) PQclear(r_);
      r_ = o.r_;
      o.r_ = nullptr;
    }
    return *this;
  }
  PGresult* get() const { return r_; }
  explicit operator bool() const { return r_ != nullptr; }
  ExecStatusType status() const { return r_ ? PQresultStatus(r_) : PGRES_FATAL_ERROR; }
  bool ok() const {
    auto s = status();
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
  }
  std::string field(int code) const {
    const char* v = r_ ? PQresultErrorField(r_, code) : nullptr;
    return v ? v : "";
  }

 private:
  PGresult* r_;
};

class PostgresDriver final : public Driver {
 public:
  PostgresDriver(const DatabaseUrl& url, const DriverOptions& options)
      : url_(url), options_(options), bookkeeping_(make_postgres_bookkeeping()) {}

  ~PostgresDriver() override {
    if (cancel_) PQfreeCancel(cancel_);
    if (conn_) PQfinish(conn_);
  }

  void open() {
    register_secret(url_.password);
    // libpq reads it when the URL has none; the server may echo it back.
    if (const char* pw = std::getenv("PGPASSWORD")) register_secret(pw);
    // URL parts first, then the query parameters as libpq keywords, so
    // ?host=/run/postgresql or ?sslmode=require win; whatever is left unset
    // falls back to PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSERVICE as usual.
    std::vector<std::pair<std::string, std::string>> kv{{"fallback_application_name", "retort"},
                                                        {"client_encoding", "UTF8"}};
    auto add = [&](const char* k, const std::string& v) {
      if (!v.empty()) kv.emplace_back(k, v);
    };
    add("user", url_.user);
    if (url_.has_password) add("password", url_.password);
    add("host", url_.host);
    add("port", url_.port);
    add("dbname", url_.database);
    for (const auto& [k, v] : url_.query) {
      if (k == "password") register_secret(v);
      kv.emplace_back(k, v);
    }
    // libpq waits forever for a server that accepts the connection and never
    // answers; ?connect_timeout= or PGCONNECT_TIMEOUT say otherwise.
    bool timeout_given = std::getenv("PGCONNECT_TIMEOUT") != nullptr;
    for (const auto& [k, v] : url_.query)
      timeout_given |= k == "connect_timeout";
    if (!timeout_given) kv.emplace_back("connect_timeout", "10");
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : kv) {
      keys.push_back(k.c_str());
      values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = PQconnectStartParams(keys.data(), values.data(), /*expand_dbname=*/0);
    if (!conn_) throw Error("cannot connect to " + where() + ": out of memory");
    // The password libpq will send, wherever it found it: ~/.pgpass,
    // PGPASSFILE, a service file; known before the server can echo it. The
    // registry is the tool's (see SecretsHost).
    register_used_password();
    if (PQstatus(conn_) == CONNECTION_BAD) throw connect_error(PQerrorMessage(conn_));
    connect_timeout_s_ = effective_connect_timeout();
    wait_for_connection();
    register_used_password();
    // --lock-timeout bounds every lock wait, not only the advisory lock: a
    // session holding LOCK TABLE, or a long transaction on the version
    // table, must give an error, never a deploy that hangs forever.
    exec_while_connecting("SET lock_timeout = " + std::to_string(options_.lock_timeout_ms));
    // What a revision's SQL raises is kept for the migrator to show; what
    // retort's own statements raise ("relation already exists, skipping")
    // is not the user's business.
    PQsetNoticeReceiver(
        conn_,
        [](void* self, const PGresult* r) {
          auto* d = static_cast<PostgresDriver*>(self);
          if (!d->collect_messages_) return;
          const char* sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
          const char* msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
          // RAISE NOTICE may echo a password: masked as it is kept.
          if (msg) d->messages_.push_back({sev ? sev : "NOTICE", redact_secrets(msg)});
        },
        this);
    cancel_ = PQgetCancel(conn_);
  }

  const BookkeepingSql& bookkeeping() const override { return *bookkeeping_; }
  const Backend& backend() const override { return postgres_backend(); }
  std::string describe() const override { return url_.redacted(); }

  void begin() override {
    Result r(PQexec(conn_, "BEGIN"));
    if (!r.ok()) throw server_error("cannot begin a transaction", r);
    in_transaction_ = true;
  }

  void commit() override {
    Result r(PQexec(conn_, "COMMIT"));
    in_transaction_ = false;
    if (!r.ok()) {
      Error e = server_error("cannot commit", r);
      rollback();
      throw e;
    }
    check_committed(r);
  }

  void rollback() noexcept override {
    in_transaction_ = false;
    if (conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  void execute(std::string_view sql, const SqlOrigin& origin) override {
    auto spans = split_sql_statements(sql);
    if (spans.empty()) return;
    // Any statement can change the session: SET, SET ROLE, set_config().
    if (!origin.file.empty()) session_dirty_ = true;
    collect_messages_ = !origin.file.empty();
    struct StopCollecting {
      bool& flag;
      ~StopCollecting() { flag = false; }
    } stop{collect_messages_};
    if (!in_transaction_) {
      // One statement at a time, as psql does: the server runs a
      // multi-statement string as one implicit transaction, where VACUUM and
      // CREATE INDEX CONCURRENTLY are refused.
      for (const auto& span : spans) {
        std::string text(sql.substr(span.begin, span.end - span.begin));
        Result r(PQexec(conn_, text.c_str()));
        r = finish_copy(std::move(r));
        if (!r.ok()) throw statement_error(sql, origin, r, spans, span.begin, 0);
      }
      return;
    }
    for (const auto& span : spans)
      if (ends_transaction(sql, span))
        throw transaction_control_error(sql, span, origin.file, origin.first_line);
    // The whole section in one round trip, parsed by the server itself. Each
    // statement that succeeds yields one result, so the count of results
    // before the error says which statement failed when the server gives no
    // position (constraint violations and other run-time errors).
    Batch b = send_batch(std::string(sql));
    if (b.error) throw statement_error(sql, origin, b.error, spans, 0, b.done);
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      in_transaction_ = false;
      throw Error(
          "BEGIN, COMMIT and ROLLBACK cannot run inside a revision's transaction, and one ended "
          "retort's transaction")
          .at(origin.file, origin.file.empty() ? 0 : origin.first_line)
          .hint(kOwnTransactionHint);
    }
  }

  Rows query(std::string_view sql) override {
    std::string text(sql);
    Result r(PQexec(conn_, text.c_str()));
    if (!r.ok()) throw server_error("query failed", r);
    return rows_of(r);
  }

  // BEGIN and the query in one round trip.
  Rows begin_with_query(std::string_view sql) override {
    Batch b = send_batch("BEGIN;\n" + std::string(sql));
    if (b.done == 0) throw server_error("cannot begin a transaction", b.error);
    in_transaction_ = true;
    if (b.error || b.done != 2) {
      Error e = server_error("query failed", b.error);
      rollback();
      throw e;
    }
    return rows_of(b.last);
  }

  // The session reset, the bookkeeping and COMMIT in one round trip; a
  // failure is reported as reset_session(), execute() or commit() would.
  void reset_and_record(std::string_view sql, bool and_commit) override {
    const std::string reset = session_dirty_ ? reset_sql() + ";\n" : "";
    const size_t resets = split_sql_statements(reset).size();
    const auto spans = split_sql_statements(sql);
    std::string text = reset + std::string(sql);
    if (and_commit) {
      std::string_view body = trim(sql);
      if (!body.empty() && body.back() != ';') text += "\n;";
      text += "\nCOMMIT";
    }
    Batch b = send_batch(text);
    if (b.done >= resets) session_dirty_ = false;
    if (b.done < resets) throw server_error("cannot restore the session after a revision", b.error);
    if (b.done < resets + spans.size()) {
      if (!b.error) throw connection_error("cannot run SQL");
      throw statement_error(sql, SqlOrigin{}, b.error, spans, 0, b.done - resets, reset.size());
    }
    if (!and_commit) return;
    in_transaction_ = false;
    if (b.error || b.done != resets + spans.size() + 1) {
      Error e = server_error("cannot commit", b.error);
      rollback();
      throw e;
    }
    check_committed(b.last);
  }

  void lock_run(const std::string& version_table) override {
    const std::string key = std::to_string(advisory_key(version_table));
    using namespace std::chrono;
    auto deadline = steady_clock::now() + milliseconds(options_.lock_timeout_ms);
    auto pause = milliseconds(5);
    while (true) {
      Rows r = query("SELECT pg_try_advisory_lock(" + key + ")");
      if (!r.empty() && !r[0].empty() && r[0][0] == "t") {
        lock_key_ = key;
        return;
      }
      if (stop_requested_.load())
        throw Error("interrupted while waiting for another deployer's lock; nothing was applied");
      auto now = steady_clock::now();
      if (now >= deadline) {
        char waited[32];
        std::snprintf(waited, sizeof waited, "%g", options_.lock_timeout_ms / 1000.0);
        throw Error("another deployer holds the lock on " + version_table + " in " +
                    url_.redacted() + " (waited " + waited + " s)")
            .hint(
                "another retort upgrade, downgrade or stamp is running against this database; "
                "retry, or raise --lock-timeout")
            .lock();
      }
      std::this_thread::sleep_for(std::min<steady_clock::duration>(pause, deadline - now));
      pause = std::min(pause * 2, milliseconds(100));
    }
  }

  // DISCARD ALL would also drop the run's advisory lock, so its parts but
  // that one. RESET ALL brings back the connection's own settings (the
  // URL's options); retort's lock_timeout is set again after it.
  void reset_session() override {
    if (!session_dirty_) return;
    std::string sql = reset_sql();
    Result r(PQexec(conn_, sql.c_str()));
    if (!r.ok()) throw server_error("cannot restore the session after a revision", r);
    session_dirty_ = false;
  }

  // PQcancel is documented as safe to call from a signal handler.
  void interrupt() noexcept override {
    stop_requested_.store(true);
    if (!cancel_) return;
    char buf[256];
    PQcancel(cancel_, buf, sizeof buf);
  }

  std::vector<DatabaseMessage> take_messages() override { return std::exchange(messages_, {}); }

  void unlock_run() noexcept override {
    if (lock_key_.empty() || !conn_) return;
    std::string sql = "SELECT pg_advisory_unlock(" + lock_key_ + ")";
    PQclear(PQexec(conn_, sql.c_str()));
    lock_key_.clear();
  }

 private:
  std::string where() const { return url_.redacted() + " (from " + url_.source + ")"; }

  std::string reset_sql() const {
    return "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL; UNLISTEN *; "
           "DISCARD PLANS; DISCARD SEQUENCES; DISCARD TEMP; SET lock_timeout = " +
           std::to_string(options_.lock_timeout_ms);
  }

  // What the server said to statements sent in one round trip: it runs them
  // in order and none after the first that fails.
  struct Batch {
    size_t done = 0;  // statements that succeeded
    Result last;      // the result of the last of them
    Result error;     // the failure, if one failed
  };
  Batch send_batch(const std::string& text) {
    if (!PQsendQuery(conn_, text.c_str())) throw connection_error("cannot send SQL");
    Batch b;
    while (true) {
      Result r(PQgetResult(conn_));
      if (!r) break;
      r = finish_copy(std::move(r));
      if (b.error) continue;
      if (r.ok()) {
        ++b.done;
        b.last = std::move(r);
      } else {
        b.error = std::move(r);
      }
    }
    return b;
  }

  static Rows rows_of(const Result& r) {
    Rows rows;
    int n = PQntuples(r.get()), m = PQnfields(r.get());
    rows.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      Row row;
      row.reserve(static_cast<size_t>(m));
      for (int j = 0; j < m; ++j) {
        if (PQgetisnull(r.get(), i, j))
          row.emplace_back();
        else
          row.emplace_back(std::string(PQgetvalue(r.get(), i, j),
                                       static_cast<size_t>(PQgetlength(r.get(), i, j))));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  // COMMIT of a failed transaction "succeeds" as a ROLLBACK.
  static void check_committed(const Result& r) {
    if (std::string_view(PQcmdStatus(r.get())) == "ROLLBACK")
      throw Error("the transaction was rolled back instead of committed")
          .hint("an earlier statement in it failed");
  }

  void register_used_password() {
    if (const char* pw = PQpass(conn_)) register_secret(pw);
  }

  // connect_timeout as libpq resolved it (the URL, PGCONNECT_TIMEOUT, a
  // service file); unset is 10 s, never forever. 0 is forever, as in libpq.
  int effective_connect_timeout() const {
    int seconds = kDefaultConnectTimeout;
    PQconninfoOption* opts = PQconninfo(conn_);
    for (auto* o = opts; o && o->keyword; ++o)
      if (std::string_view(o->keyword) == "connect_timeout" && o->val && *o->val)
        seconds = std::atoi(o->val);
    PQconninfoFree(opts);
    return seconds < 0 ? 0 : seconds;
  }

  Error timeout_error(const std::string& what) const {
    return Error("cannot connect to " + where() + ": " + what + " within " +
                 std::to_string(connect_timeout_s_) + " s (connect_timeout)")
        .hint(
            "is PostgreSQL running there and answering? check the host and port in the URL (or "
            "PGHOST, PGPORT), e.g. with pg_isready; a slow server needs a longer "
            "connect_timeout in the URL (?connect_timeout=30) or PGCONNECT_TIMEOUT")
        .connection();
  }

  std::chrono::steady_clock::time_point connect_deadline() const {
    return std::chrono::steady_clock::now() + std::chrono::seconds(connect_timeout_s_);
  }

  // Waits until the socket is ready for `events`; false once the deadline
  // has passed. Wakes up now and then so that Ctrl-C (interrupt()) stops it.
  bool wait_socket(short events, std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono;
    while (true) {
      if (stop_requested_.load()) throw Error("interrupted while connecting to " + where());
      long long wait_ms = 100;
      if (connect_timeout_s_ > 0) {
        long long left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
        if (left <= 0) return false;
        wait_ms = std::min(left, wait_ms);
      }
      pollfd p{PQsocket(conn_), events, 0};
      int n = ::poll(&p, 1, static_cast<int>(wait_ms));
      if (n > 0 || (n < 0 && errno != EINTR)) return true;  // libpq reports socket errors
    }
  }

  // PQconnectdb's loop with one deadline over the whole start-up (TCP, TLS,
  // authentication): a server that accepts and never answers is an error.
  void wait_for_connection() {
    auto deadline = connect_deadline();
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK) {
      if (st == PGRES_POLLING_FAILED) throw connect_error(PQerrorMessage(conn_));
      if (!wait_socket(st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline))
        throw timeout_error("the server did not complete the connection");
      st = PQconnectPoll(conn_);
      register_used_password();  // the next host's, with several hosts
    }
  }

  // A statement on the fresh connection, bounded by the connect timeout too.
  void exec_while_connecting(const std::string& sql) {
    auto deadline = connect_deadline();
    if (!PQsendQuery(conn_, sql.c_str())) throw connection_error("cannot set up the session");
    while (true) {
      while (PQisBusy(conn_)) {
        if (!wait_socket(POLLIN, deadline))
          throw timeout_error("the server did not answer '" + sql + "'");
        if (!PQconsumeInput(conn_)) throw connection_error("cannot set up the session");
      }
      Result r(PQgetResult(conn_));
      if (!r) return;
      if (!r.ok()) throw server_error("cannot set up the session", r);
    }
  }

  // COPY ... FROM STDIN has no data to read in a revision file; COPY ... TO
  // STDOUT output is discarded. Returns the statement's final result.
  Result finish_copy(Result r) {
    if (r.status() == PGRES_COPY_IN) {
      PQputCopyEnd(conn_, "retort cannot feed COPY FROM STDIN; use COPY FROM a file or INSERT");
      return Result(PQgetResult(conn_));
    }
    if (r.status() == PGRES_COPY_OUT) {
      char* buf = nullptr;
      while (PQgetCopyData(conn_, &buf, 0) > 0)
        PQfreemem(buf);
      return Result(PQgetResult(conn_));
    }
    return r;
  }

  Error connect_error(const char* libpq_message) const {
    std::string full = libpq_message ? libpq_message : "";
    std::string msg = first_line(libpq_message);
    // libpq says "connection to server at ... failed: FATAL:  <why>"; keep <why> readable.
    if (auto f = msg.find("FATAL:  "); f != std::string::npos) msg.replace(f, 8, "");
    Error e("cannot connect to " + where() + ": " + msg);
    if (contains(full, "password authentication failed") ||
        contains(full, "no password supplied") || contains(full, "authentication failed") ||
        contains(full, "SASL authentication"))
      return e.hint(
          "authentication failed: check the user and password in the URL (or PGUSER, "
          "PGPASSWORD, ~/.pgpass) and the server's pg_hba.conf");
    if (contains(full, "database \"") && contains(full, "does not exist"))
      return e.hint("the server is up but has no database '" + url_.database +
                    "': create it (createdb " + url_.database + ") or fix the URL");
    if (contains(full, "role \"") && contains(full, "does not exist"))
      return e.hint("the server has no such user: fix the user in the URL (or PGUSER)");
    if (contains(full, "invalid connection option") || contains(full, "invalid sslmode") ||
        contains(full, "invalid integer value"))
      return e.hint(
          "query parameters of a postgresql:// URL are passed to libpq as connection keywords "
          "(sslmode, connect_timeout, application_name, host, ...)");
    if (contains(full, "timeout expired"))
      return e.hint(
          "no answer within the connect timeout (10 s unless the URL's connect_timeout= or "
          "PGCONNECT_TIMEOUT says otherwise): is that a PostgreSQL server, and is it up?");
    if (contains(full, "Connection refused") || contains(full, "No such file or directory") ||
        contains(full, "could not translate host name") || contains(full, "timeout expired") ||
        contains(full, "No route to host"))
      return e.hint(
          "is PostgreSQL running and accepting connections there? check the host and port in "
          "the URL (or PGHOST, PGPORT), e.g. with pg_isready");
    return e.hint("check the URL and that the server accepts connections from this host");
  }

  Error connection_error(const std::string& what) const {
    return Error(what + " to " + url_.redacted() + ": " + first_line(PQerrorMessage(conn_)))
        .hint("the connection to the server was lost; check the server and run again")
        .connection();
  }

  Error server_error(const std::string& what, const Result& r) const {
    if (!r) return connection_error(what);
    std::string msg = r.field(PG_DIAG_MESSAGE_PRIMARY);
    if (msg.empty()) return connection_error(what);
    Error e(what + ": " + msg + sqlstate_suffix(r));
    add_server_hints(e, r);
    return e;
  }

  static std::string sqlstate_suffix(const Result& r) {
    std::string code = r.field(PG_DIAG_SQLSTATE);
    return code.empty() ? "" : " (SQLSTATE " + code + ")";
  }

  void add_server_hints(Error& e, const Result& r) const {
    if (auto d = r.field(PG_DIAG_MESSAGE_DETAIL); !d.empty()) e.hint("detail: " + d);
    if (auto h = r.field(PG_DIAG_MESSAGE_HINT); !h.empty()) e.hint("PostgreSQL hint: " + h);
    if (auto c = r.field(PG_DIAG_CONTEXT); !c.empty()) e.hint("context: " + first_line(c.c_str()));
    std::string code = r.field(PG_DIAG_SQLSTATE);
    if (code == "55P03") {
      char waited[32];
      std::snprintf(waited, sizeof waited, "%g", options_.lock_timeout_ms / 1000.0);
      e.hint("another session holds a lock this statement needs (waited " + std::string(waited) +
             " s); find it in pg_locks and pg_stat_activity, or raise --lock-timeout");
    } else if (code == "25001") {
      // CREATE INDEX CONCURRENTLY, VACUUM, ALTER SYSTEM, CREATE DATABASE ...
      e.hint(kOutsideTransactionHint);
    } else if (code == "40P01" || code == "40001") {
      e.hint("another session's transaction conflicted with this one; run again");
    }
    if (is_database_fault(code)) e.category(fault_category(code));
    // Classes 22 (data exception) and 23 (integrity constraint violation).
    if (code.rfind("22", 0) == 0 || code.rfind("23", 0) == 0) e.rows();
    // Class 42: syntax error or access rule violation.
    if (code.rfind("42", 0) == 0) e.syntax();
  }

  // SQLSTATEs that say the server was in the way, not the SQL: locks and
  // conflicts (55P03, 40P01, 40001), insufficient resources (class 53: disk
  // full, out of memory, too many connections), operator intervention (57:
  // cancel, shutdown), system errors (58) and connection failures (08).
  static bool is_database_fault(const std::string& code) {
    if (code == "55P03" || code == "40P01" || code == "40001") return true;
    std::string cls = code.substr(0, 2);
    return cls == "53" || cls == "57" || cls == "58" || cls == "08";
  }
  static ErrorCategory fault_category(const std::string& code) {
    if (code == "55P03" || code == "40P01" || code == "40001") return ErrorCategory::kLock;
    if (code.rfind("08", 0) == 0 || code.rfind("57", 0) == 0) return ErrorCategory::kConnection;
    return ErrorCategory::kResource;
  }

  // An error in `sql` (as given to execute()). `sent_at` is where the text
  // sent to the server began; `done` is how many statements succeeded first;
  // `prefix` is the length of ASCII text sent before sql[sent_at].
  Error statement_error(std::string_view sql, const SqlOrigin& origin, const Result& r,
                        const std::vector<StatementSpan>& spans, size_t sent_at, size_t done,
                        size_t prefix = 0) const {
    std::string msg = r.field(PG_DIAG_MESSAGE_PRIMARY);
    if (msg.empty()) return connection_error("cannot run SQL");
    size_t offset = sent_at;
    std::string pos = r.field(PG_DIAG_STATEMENT_POSITION);
    if (!pos.empty() && std::atol(pos.c_str()) <= static_cast<long>(prefix)) pos.clear();
    if (!pos.empty()) {
      long position = std::atol(pos.c_str()) - static_cast<long>(prefix);
      offset = sent_at + utf8_char_offset(sql.substr(sent_at), position);
    } else if (sent_at == 0 && done < spans.size()) {
      offset = spans[done].begin;
    }
    const StatementSpan* stmt = nullptr;
    for (const auto& s : spans)
      if (s.begin <= offset && (offset < s.end || &s == &spans.back())) {
        stmt = &s;
        break;
      }
    if (pos.empty() && stmt) offset = stmt->begin;
    Error e(msg + sqlstate_suffix(r));
    e.at(origin.file, origin.file.empty() ? 0 : line_at(sql, offset, origin.first_line));
    add_server_hints(e, r);
    if (stmt)
      e.hint("in statement: " +
             statement_excerpt(sql.substr(stmt->begin, stmt->end - stmt->begin)));
    return e;
  }

  DatabaseUrl url_;
  DriverOptions options_;
  std::unique_ptr<BookkeepingSql> bookkeeping_;
  static constexpr int kDefaultConnectTimeout = 10;  // seconds
  PGconn* conn_ = nullptr;
  PGcancel* cancel_ = nullptr;
  int connect_timeout_s_ = kDefaultConnectTimeout;
  bool in_transaction_ = false;
  bool session_dirty_ = false;
  bool collect_messages_ = false;
  std::atomic<bool> stop_requested_{false};  // set by interrupt(), from a signal handler
  std::vector<DatabaseMessage> messages_;
  std::string lock_key_;
};

}  // namespace

}  // namespace retort

namespace {

retort::Driver* open_postgres(const retort::DatabaseUrl& url,
                              const retort::DriverOptions& options) {
  auto d = std::make_unique<retort::PostgresDriver>(url, options);
  d->open();
  return d.release();
}

}  // namespace

// The module's one exported symbol (backend/module.h). A missing database is
// an error here, never "not created yet".
extern "C" __attribute__((visibility("default"))) const retort::DriverModule*
RETORT_DRIVER_MODULE_ENTRY() {
  static const retort::DriverModule module{retort::kDriverModuleAbi, "postgresql", RETORT_BUILD_ID,
                                           open_postgres};
  return &module;
}
