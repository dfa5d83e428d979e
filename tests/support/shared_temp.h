// Where tests put directories that another user must enter (retort run as
// nobody, a PostgreSQL server run as postgres) and unix sockets must fit:
// the checkout may sit in a 0700 home directory under a long path, so
// nothing another user needs may live there.
#pragma once

#include <string>

namespace retort::test {

// $TMPDIR when it is short enough for a socket path (sun_path is 108 bytes)
// and every directory on the way is searchable by everyone; /tmp otherwise.
std::string shared_temp_base();

}  // namespace retort::test
