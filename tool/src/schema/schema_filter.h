// The `exclude` setting: objects named by a glob are left out of both
// sides of a diff, as if neither had them (tables managed elsewhere: a
// queue's, PostGIS's spatial_ref_sys).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "schema/schema_model.h"

namespace retort {

// Whether `name` matches one of `globs` (fnmatch's * ? [...], without
// regard to case, as unquoted SQL names).
bool excluded_by(const std::vector<std::string>& globs, const std::string& name);

// Removes from `s` the tables (with their indexes and triggers), views,
// indexes, triggers, sequences and enum types that `globs` name, and adds
// "kind name" of each to `removed`.
void exclude_objects(Schema& s, const std::vector<std::string>& globs,
                     std::set<std::string>& removed);

}  // namespace retort
