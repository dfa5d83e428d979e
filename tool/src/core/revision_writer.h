// Writing new revision files: ids, slugs, file names from file_template, and
// rendering script.sql.tmpl. The rendered text is parsed back before it is
// written, so a broken template can never leave a broken revision behind.
#pragma once

#include <string>
#include <vector>

namespace retort {

struct NewRevision {
  std::string id;  // empty: a fresh random one
  std::vector<std::string> down_revisions;
  std::vector<std::string> depends_on;
  std::vector<std::string> branch_labels;
  std::string message;
  std::string upgrade_sql;  // what goes under -- migrate:upgrade
  std::string downgrade_sql;
};

// 12 lowercase hex digits from the OS's random source.
std::string new_revision_id();

// "Add users table!" -> "add_users_table". Never empty, never a path.
std::string slugify(const std::string& message);

// The file name (without directory) for a revision created at `unix_time`.
std::string revision_file_name(const std::string& file_template, const std::string& id,
                               const std::string& message, long long unix_time, bool utc);

// The text written when script.sql.tmpl is missing or by `retort init`.
const std::string& default_template();

// Renders the template, checks that the result parses, and writes it to
// versions/ without replacing any existing file. Returns the path written.
std::string write_revision(const std::string& script_location, const std::string& file_template,
                           bool utc, NewRevision rev);

}  // namespace retort
