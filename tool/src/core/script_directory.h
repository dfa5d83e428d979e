// The migration directory on disk: <script_location>/versions/*.sql and the
// template for new revisions. Turns files into Revisions; the graph is built
// from those without knowing they came from files.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/revision.h"

namespace retort {

struct ScriptDirectory {
  explicit ScriptDirectory(std::string script_location, std::string index = {})
      : root(std::move(script_location)), index_dir(std::move(index)) {}

  std::string root;       // script_location
  std::string index_dir;  // where the revision index goes (core/revision_index.h); "": none

  std::string versions_dir() const { return root + "/versions"; }
  std::string template_path() const { return root + "/script.sql.tmpl"; }

  // Every versions/*.sql, sorted by file name, each parsed. All parse errors
  // of all files are reported together. A missing versions/ is an error that
  // says to run `retort init`. With an index_dir, kHeaders takes the headers
  // of the files unchanged since the index recorded them from there, and
  // any load updates the index when it saw something it did not hold.
  std::vector<Revision> load(ParseDepth depth = ParseDepth::kFull) const;
};

// Why the build cannot carry a revision file of this name, or "" when it
// can: CMake splits lists at ';', Make and Ninja read '$' and '#', a newline
// or other control character ends a rule, and quotes, backslashes and
// backticks change meaning in the commands the generators write. A '/'
// would put the file outside versions/.
std::string unbuildable_name_reason(std::string_view name);
// Throws the error for a revision file `name`, shown as `shown`, that the
// build cannot carry; returns when it can.
void check_buildable_name(std::string_view name, const std::string& shown);

// A path as the user should see it: relative to the working directory when
// it lies below it, else as given.
std::string display_path(const std::string& path);

}  // namespace retort
