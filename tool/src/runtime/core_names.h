// The tool's own types under names of their own, for the runtime's files:
// <retort/retort.h> declares Error, Direction and others in retort::v1, an
// inline namespace, so after it `retort::Error` is ambiguous. Include this
// header first, and <retort/retort.h> after it.
#pragma once

#include "backend/backend.h"
#include "backend/url.h"
#include "core/error.h"
#include "core/plan.h"
#include "core/revision.h"
#include "core/revision_graph.h"
#include "core/target.h"
#include "migrate/migrator.h"

namespace retort::core {

using Error = ::retort::Error;
using ErrorCategory = ::retort::ErrorCategory;
using ErrorList = ::retort::ErrorList;
using Direction = ::retort::Direction;
using Revision = ::retort::Revision;
using RevisionGraph = ::retort::RevisionGraph;
using Section = ::retort::Section;
using Target = ::retort::Target;
using MigrateOptions = ::retort::MigrateOptions;
using Migrator = ::retort::Migrator;
using Partial = ::retort::Partial;
using DatabaseUrl = ::retort::DatabaseUrl;
using Driver = ::retort::Driver;
using DriverOptions = ::retort::DriverOptions;

}  // namespace retort::core
