// Compares two schema models and lists the ops that turn `from` into `to`,
// ordered so dependencies hold: dependents (triggers, views, indexes) are
// dropped before what they depend on, tables are created referenced-first
// and dropped dependents-first, and dependents are created last.
#pragma once

#include <vector>

#include "schema/ops.h"
#include "schema/schema_dialect.h"
#include "schema/schema_model.h"

namespace retort {

std::vector<Op> diff_schemas(const Schema& from, const Schema& to, const SchemaDialect& dialect);

// Same constraint by meaning (names ignored: SQLite does not keep them all).
bool same_constraint(const Constraint& a, const Constraint& b, const SchemaDialect& dialect);
bool same_column(const Column& a, const Column& b, const SchemaDialect& dialect);
bool same_index(const Index& a, const Index& b);

}  // namespace retort
