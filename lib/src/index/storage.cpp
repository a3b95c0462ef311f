#include "index/storage.hpp"

#include <sys/resource.h>

#include <cstdint>
#include <system_error>

#include "index/schema.hpp"

namespace fs = std::filesystem;

namespace helpmark::storage {
namespace {

bool looks_like_xapian(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "iamglass", ec) || fs::exists(dir / "iamchert", ec);
}

// xapian-replicate keeps a replica as a stub file naming the live copy (replica_0 or
// replica_1), which it switches after a full copy; Xapian::Database follows the stub.
bool is_replica_stub(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "XAPIANDB", ec);
}

Status not_helpmark(const fs::path& dir) {
  return Status(ErrorCode::kCorrupt,
                dir.string() + ": not a helpmark index (a Xapian database without helpmark's "
                               "schema); choose another --index directory");
}

// Xapian 1.4 aborts the process (std::terminate inside commit) when it cannot write even its
// first blocks, instead of throwing: refuse to start with less room than a small index needs.
constexpr std::uintmax_t kMinRoomBytes = 1 << 20;

Status check_room_to_write(const fs::path& dir) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < kMinRoomBytes)
    return Status(ErrorCode::kIoError, dir.string() + ": the file size limit (ulimit -f) is " +
                                           std::to_string(limit.rlim_cur / 1024) +
                                           " KiB; writing an index needs at least 1 MiB. Raise the limit");
  std::error_code ec;
  fs::path existing = dir;
  while (!existing.empty() && !fs::exists(existing, ec)) existing = existing.parent_path();
  const fs::space_info space = fs::space(existing.empty() ? fs::path(".") : existing, ec);
  if (!ec && space.available < kMinRoomBytes)
    return Status(ErrorCode::kIoError, dir.string() + ": only " + std::to_string(space.available / 1024) +
                                           " KiB free on its file system; writing an index needs at least 1 MiB. "
                                           "Free some space; the previous index is unchanged");
  return Status::Ok();
}

}  // namespace

Result<Xapian::WritableDatabase> open_for_writing(const fs::path& dir) {
  if (Status room = check_room_to_write(dir); !room.ok()) return room;
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      return Status(ErrorCode::kCorrupt, dir.string() + ": exists and is not a directory; "
                                                        "choose another --index path");
    if (is_replica_stub(dir))
      return Status(ErrorCode::kInvalidArgument,
                    dir.string() + ": a read replica kept by xapian-replicate; index on the master "
                                   "instead (writing here would break replication)");
    if (!fs::is_empty(dir, ec) && !looks_like_xapian(dir))
      return Status(ErrorCode::kCorrupt,
                    dir.string() + ": not a helpmark index and not empty; refusing to write into "
                                   "it. Choose another --index directory or empty this one");
  } else {
    fs::create_directories(dir, ec);
    if (ec)
      return Status(ErrorCode::kIoError, dir.string() + ": cannot create the index directory: " +
                                             ec.message());
  }
  try {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    if (db.get_doccount() > 0 && db.get_metadata(schema::kMetaSchema).empty())
      return not_helpmark(dir);
    return db;
  } catch (const Xapian::DatabaseLockError&) {
    return Status(ErrorCode::kLocked,
                  dir.string() + ": the index is locked by another writer (is another `helpmark "
                                 "index` running?); try again when it has finished");
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status(ErrorCode::kCorrupt, dir.string() + ": the index is damaged (" +
                                           e.get_msg() + "); delete the directory and re-index");
  } catch (const Xapian::Error& e) {
    return Status(ErrorCode::kIoError, dir.string() + ": cannot open the index for writing: " +
                                           e.get_description());
  }
}

Result<Xapian::Database> open_for_reading(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Status(ErrorCode::kNotFound,
                  dir.string() + ": no index here; build one with `helpmark index` or pass "
                                 "--index DIR");
  if (!looks_like_xapian(dir) && !is_replica_stub(dir))
    return Status(ErrorCode::kCorrupt,
                  dir.string() + ": not a helpmark index; build one with `helpmark index --index " +
                      dir.string() + "`");
  try {
    Xapian::Database db(dir.string());
    if (db.get_metadata(schema::kMetaSchema).empty()) return not_helpmark(dir);
    if (db.get_metadata(schema::kMetaSchema) != schema::kVersion)
      return Status(ErrorCode::kCorrupt,
                    dir.string() + ": index written by another helpmark version (schema " +
                        db.get_metadata(schema::kMetaSchema) + "); re-run `helpmark index`");
    return db;
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status(ErrorCode::kCorrupt, dir.string() + ": the index is damaged (" + e.get_msg() +
                                           "); delete the directory and re-index");
  } catch (const Xapian::Error& e) {
    return Status(ErrorCode::kCorrupt, dir.string() + ": cannot open the index: " + e.get_description());
  }
}

}  // namespace helpmark::storage
