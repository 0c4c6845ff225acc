// POST /api/v1/calc (adapters/calc_api.h).
#include "adapters/calc_api.h"

#include <string_view>

#include "adapters/http_types.h"
#include "adapters/router.h"
#include "knowledge/calc/calc.h"
#include "core/time.h"

namespace yorisoi::adapters {
namespace {

bool WantsExplain(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return false;
  std::string_view query = target.substr(q + 1);
  for (std::string_view v : {"explain=1", "explain=true", "explain"}) {
    std::size_t pos = 0;
    while ((pos = query.find(v, pos)) != std::string_view::npos) {
      const bool starts = pos == 0 || query[pos - 1] == '&';
      const std::size_t end = pos + v.size();
      const bool ends = end == query.size() || query[end] == '&';
      if (starts && ends) return true;
      pos = end;
    }
  }
  return false;
}

}  // namespace

Handler CalcApiHandler(const kb::KnowledgeBase& kb, const Clock& clock) {
  return [&kb, &clock](const Request& req, const RequestContext&) {
    const Date today = ToJst(clock.NowMillis()).date;
    const bool explain = WantsExplain(std::string_view(req.target().data(), req.target().size()));
    Result<nlohmann::json> out = calc::CalculateJson(req.body(), kb, today, explain);
    if (!out.ok()) return ErrorResponse(req, out.status());
    return JsonResponse(req, http::status::ok, DumpJson(*out));
  };
}

}  // namespace yorisoi::adapters
