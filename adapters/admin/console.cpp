// Staff console: the /admin entry point — the UI's files, and the JSON API
// on one endpoint table (adapters/admin/console.h). The parts: auth.h
// (callers, sessions), csrf.h, throttle.h, endpoints.h (routing and
// permissions), session_api.h, log_api.h, staff_api.h, edits_api.h,
// static_files.h, json_mapping.h, csv.h.
#include "adapters/admin/console.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <exception>
#include <filesystem>
#include <utility>

#include "adapters/admin/auth.h"
#include "adapters/admin/endpoints.h"
#include "adapters/admin/log_api.h"
#include "adapters/admin/request.h"
#include "adapters/admin/responses.h"
#include "adapters/admin/session_api.h"
#include "adapters/admin/static_files.h"
#include "store/log_query.h"

namespace yorisoi::adapters::admin {
namespace {

namespace fs = std::filesystem;

Response RedirectToConsole(const Request& req) {
  Response res = MakeResponse(req, http::status::permanent_redirect, "text/plain; charset=utf-8",
                              "moved to /admin/\n");
  res.set(http::field::location, "/admin/");
  return res;
}

// Every request under /api/edits while no edits backend is configured.
Response NoEdits(const ApiCall& call) {
  return ErrorReply(call.req, http::status::service_unavailable,
                    "knowledge edits are not available in this server");
}

}  // namespace

std::string ClientAddress(const Request& req, const std::string& peer,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& a) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), a) != trusted_proxies.end();
  };
  if (!trusted(peer)) return peer;
  auto it = req.find("X-Forwarded-For");
  if (it == req.end()) return peer;
  // Each proxy appends the address it got the request from: read from the
  // right, past our own proxies; the first other entry is the client. An
  // entry that is not an IP address ends the search (forged or broken).
  std::string list(it->value().data(), it->value().size());
  std::string client = peer;
  size_t end = list.size();
  while (end > 0) {
    const size_t comma = list.rfind(',', end - 1);
    const size_t begin = comma == std::string::npos ? 0 : comma + 1;
    std::string entry = list.substr(begin, end - begin);
    const auto first = entry.find_first_not_of(" \t");
    const auto last = entry.find_last_not_of(" \t");
    entry = first == std::string::npos ? "" : entry.substr(first, last - first + 1);
    boost::system::error_code ec;
    const auto addr = boost::asio::ip::make_address(entry, ec);
    if (ec) break;
    client = addr.to_string();
    if (!trusted(client) || comma == std::string::npos) break;
    end = comma;
  }
  return client;
}

struct Console::Impl {
  ConsoleOptions opt;
  std::unique_ptr<store::AdminStore> admin;
  Authenticator auth;
  Endpoints endpoints{&auth};
  SessionApi sessions;
  LogApi log_api;
  StaffApi staff;
  std::unique_ptr<EditsApi> edits;

  Impl(const ConsoleOptions& options, std::unique_ptr<store::AdminStore> admin_store,
       store::LogWriter* logs, store::LogQuery* query)
      : opt(options),
        admin(std::move(admin_store)),
        auth(admin.get(), options.admin_token, options.clock),
        sessions(SessionOptions(options), admin.get()),
        log_api(LogApiOptions{options.clock, options.municipality_names, options.program_names},
                query, admin.get()),
        staff(StaffOptions(options), admin.get(), logs, query, options.handoffs, options.push) {
    if (options.edits)
      edits = std::make_unique<EditsApi>(options.edits, admin.get(), options.clock);
    sessions.AddRoutes(endpoints);
    log_api.AddRoutes(endpoints);
    staff.AddRoutes(endpoints);
    if (edits) {
      edits->AddRoutes(endpoints, "/api/edits");
    } else {
      endpoints.Add(http::verb::unknown, "/api/edits/*", store::Permission::kRead, NoEdits);
    }
  }

  static SessionApiOptions SessionOptions(const ConsoleOptions& o) {
    return SessionApiOptions{o.session_ttl_minutes, o.max_failed_logins,
                             o.max_failed_logins_per_address, o.clock, o.handoffs};
  }
  static StaffApiOptions StaffOptions(const ConsoleOptions& o) {
    StaffApiOptions so;
    so.clock = o.clock;
    so.takeover_minutes = o.takeover_minutes;
    so.municipality_names = o.municipality_names;
    return so;
  }

  // `target` with or without the "/admin" prefix.
  Response Handle(const Request& req, const RequestContext& ctx) {
    auto target = ParseTarget(std::string_view(req.target().data(), req.target().size()));
    if (!target) return ErrorReply(req, http::status::bad_request, "bad request target");
    std::string_view path = target->path;
    if (path.substr(0, 6) == "/admin") path.remove_prefix(6);
    if (path.empty()) return RedirectToConsole(req);
    if (path.substr(0, 5) != "/api/") return ServeStaticFile(opt.ui_dir, req, path);
    // The edits API has always ignored trailing slashes.
    if (path.substr(0, 11) == "/api/edits/")
      while (path.back() == '/' && path.size() > 11) path.remove_suffix(1);
    return endpoints.Dispatch(path, req, ctx, target->query);
  }
};

Console::Console(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Console::~Console() = default;

Result<std::unique_ptr<Console>> Console::Open(const ConsoleOptions& options,
                                               store::LogStore* logs) {
  if (!logs) return Status::InvalidArgument("admin console: no log store");
  if (!options.clock) return Status::InvalidArgument("admin console: no clock");
  if (options.ui_dir.empty() || !fs::is_directory(options.ui_dir))
    return Status::InvalidArgument("admin console: ui_dir '" + options.ui_dir +
                                   "' is not a directory");
  auto admin = store::OpenSqliteAdminStore(options.admin_db_path, options.pbkdf2_iterations);
  if (!admin.ok()) return admin.status();
  auto impl =
      std::make_unique<Impl>(options, std::move(admin).value(), &logs->writer(), &logs->query());
  return std::unique_ptr<Console>(new Console(std::move(impl)));
}

Response Console::Handle(const Request& req, const RequestContext& ctx) {
  try {
    RequestContext client = ctx;
    client.remote_address = ClientAddress(req, ctx.remote_address, impl_->opt.trusted_proxies);
    return impl_->Handle(req, client);
  } catch (const std::exception& e) {
    return FailReply(req, Status::IOError(std::string("unhandled: ") + e.what()), "yorisoi admin");
  } catch (...) {
    return FailReply(req, Status::IOError("unhandled exception"), "yorisoi admin");
  }
}

store::AdminStore& Console::admin_store() { return *impl_->admin; }

}  // namespace yorisoi::adapters::admin
