// Opening the Xapian database behind an index directory, for reading or writing, with the
// checks and messages that tell a helpmark index from anything else.
#pragma once

#include <xapian.h>

#include <filesystem>

#include "helpmark/status.hpp"

namespace helpmark::storage {

/// Opens (creating when missing or empty) the index for writing. kLocked when another writer
/// holds it, kCorrupt when the directory holds something that is not a helpmark index,
/// kInvalidArgument when it is a read replica (only the master is written).
Result<Xapian::WritableDatabase> open_for_writing(const std::filesystem::path& dir);

/// Opens the index for reading: a glass database, or a replica's stub directory (XAPIANDB
/// pointing at replica_N). kNotFound when there is none, kCorrupt when not helpmark's.
Result<Xapian::Database> open_for_reading(const std::filesystem::path& dir);

}  // namespace helpmark::storage
