// The SQLite conversation log (store/log_store.h): one writer (with the
// retention as its hourly task), the query side and the retention part over
// one file. The parts live in log_writer.cpp, log_query.cpp and
// log_retention.cpp; the schema in log_schema.cpp.
#include "store/log_store.h"

#include "store/log_internal.h"

namespace yorisoi::store {
namespace {

using log_internal::SqliteLogWriter;

class SqliteLogStore final : public LogStore {
 public:
  SqliteLogStore(const std::string& path, int retention_days, const Clock& clock)
      : writer_(path, clock, log_internal::RetentionSchedule(retention_days, clock)),
        query_(log_internal::NewSqliteLogQuery(path, writer_)),
        retention_(log_internal::NewSqliteLogRetention(writer_)) {}

  LogWriter& writer() override { return writer_; }
  LogQuery& query() override { return *query_; }
  LogRetention& retention() override { return *retention_; }

 private:
  // Destroyed in reverse: the parts that run jobs on the writer go first.
  SqliteLogWriter writer_;
  std::unique_ptr<LogQuery> query_;
  std::unique_ptr<LogRetention> retention_;
};

}  // namespace

Result<std::unique_ptr<LogStore>> OpenSqliteLogStore(const std::string& path, int retention_days,
                                                     const Clock& clock) {
  try {
    return std::unique_ptr<LogStore>(new SqliteLogStore(path, retention_days, clock));
  } catch (const std::exception& e) {
    return Status::IOError(path + ": " + e.what());
  }
}

}  // namespace yorisoi::store
