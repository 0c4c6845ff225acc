// The conversation log's query side (store/log_query.h): the console's
// list with filters and full-text search, transcripts, the review queue,
// statistics and exports on a pool of read-only connections; its few writes
// (tags, review status) run on the writer thread.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

#include "core/time.h"
#include "core/utf8.h"
#include "store/log_internal.h"
#include "store/masking.h"

namespace yorisoi::store {

std::string ReviewKey(const std::string& masked_text) {
  std::u32string folded;
  for (char32_t c : utf8::ToU32(masked_text)) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
    if (c == 0x3000 || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    folded += c;
  }
  auto punct = [](char32_t c) {
    return c == '?' || c == '!' || c == '.' || c == ',' || c == 0x3002 || c == 0x3001 ||
           c == 0x2026 || c == '~' || c == 0x301C || c == 0xFF61 || c == 0xFF64;
  };
  while (!folded.empty() && punct(folded.back())) folded.pop_back();
  size_t start = 0;
  while (start < folded.size() && punct(folded[start])) ++start;
  return utf8::ToUtf8(std::u32string_view(folded).substr(start));
}

uint32_t FlagFromName(const std::string& name) {
  if (name == "answered") return kFlagAnswered;
  if (name == "fallback") return kFlagFallback;
  if (name == "ambiguous") return kFlagAmbiguous;
  if (name == "handoff") return kFlagHandoff;
  if (name == "crisis") return kFlagCrisis;
  return 0;
}

std::vector<std::string> FlagNames(uint32_t flags) {
  std::vector<std::string> out;
  for (const char* n : {"answered", "fallback", "ambiguous", "handoff", "crisis"})
    if (flags & FlagFromName(n)) out.push_back(n);
  return out;
}

namespace log_internal {
namespace {

std::string LikePattern(const std::string& q) {
  std::string p = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

std::string FtsPhrase(const std::string& q) {
  std::string p = "\"";
  for (char c : q) {
    if (c == '"') p += '"';
    p += c;
  }
  return p + "\"";
}

// Search terms: `q` split at ASCII and ideographic spaces.
std::vector<std::string> SearchTerms(const std::string& q) {
  std::vector<std::string> out;
  std::string cur;
  for (const utf8::CodePointAt& cp : utf8::Decode(q)) {
    if (cp.c == ' ' || cp.c == 0x3000 || cp.c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.append(q, cp.pos, cp.len);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string AsciiLower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  return s;
}

// The JST calendar day (days since 1970-01-01) of an instant.
int64_t JstDay(int64_t ms) { return ToJst(ms).date.DaysSinceEpoch(); }

// A reader connection with its prepared statements (reused across calls).
struct ReadConn {
  explicit ReadConn(const std::string& path)
      : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX) {
    db.setBusyTimeout(10000);
    db.exec("PRAGMA query_only=1");
  }
  SQLite::Statement& Prepare(const std::string& sql) {
    auto& st = stmts[sql];
    if (!st) {
      st = std::make_unique<SQLite::Statement>(db, sql);
    } else {
      st->reset();
      st->clearBindings();
    }
    return *st;
  }
  void ResetAll() {
    for (auto& [sql, st] : stmts) st->reset();
  }
  SQLite::Database db;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> stmts;
};

// The conditions of a conversation filter on `conversations c` and their
// bindings.
struct FilterSql {
  FilterSql(const ConversationFilter& filter, uint32_t flag_bit) : f(filter), bit(flag_bit) {
    where = "c.last_ms >= :from AND c.started_ms <= :to";
    if (!f.municipality.empty()) where += " AND c.municipality = :muni";
    if (!f.intent.empty())
      where += " AND c.id IN (SELECT conv FROM conv_facets WHERE kind = 1 AND value = :intent)";
    if (!f.program.empty())
      where += " AND c.id IN (SELECT conv FROM conv_facets WHERE kind = 2 AND value = :program)";
    if (!f.tag.empty())
      where += " AND c.id IN (SELECT conv FROM conv_facets WHERE kind = 3 AND value = :tag)";
    if (bit) where += " AND (c.flags & :bit) <> 0";
    if (f.flag == "reviewed") where += " AND c.reviewed_ms > 0";
    if (f.flag == "unreviewed") where += " AND c.reviewed_ms = 0";
  }
  void Bind(SQLite::Statement& st) const {
    st.bind(":from", f.from_ms);
    st.bind(":to", f.to_ms);
    if (!f.municipality.empty()) st.bind(":muni", f.municipality);
    if (!f.intent.empty()) st.bind(":intent", f.intent);
    if (!f.program.empty()) st.bind(":program", f.program);
    if (!f.tag.empty()) st.bind(":tag", f.tag);
    if (bit) st.bind(":bit", static_cast<int64_t>(bit));
  }
  int64_t Offset() const { return static_cast<int64_t>(f.page - 1) * f.page_size; }

  const ConversationFilter& f;
  const uint32_t bit;
  std::string where;
};

// The flag bit a valid filter asks for (0: none, reviewed or unreviewed).
Result<uint32_t> CheckFilter(const ConversationFilter& f) {
  if (f.to_ms < f.from_ms) return Status::InvalidArgument("to is before from");
  if (f.page < 1) return Status::InvalidArgument("page must be >= 1");
  if (f.page_size < 1 || f.page_size > 200)
    return Status::InvalidArgument("page_size must be 1..200");
  if (f.flag.empty() || f.flag == "reviewed" || f.flag == "unreviewed") return uint32_t{0};
  const uint32_t bit = FlagFromName(f.flag);
  if (bit == 0) return Status::InvalidArgument("unknown flag");
  return bit;
}

class SqliteLogQuery final : public LogQuery {
 public:
  SqliteLogQuery(std::string path, SqliteLogWriter& writer)
      : path_(std::move(path)), writer_(writer) {}

  Result<ConversationPage> ListConversations(const ConversationFilter& f) override {
    Result<uint32_t> bit = CheckFilter(f);
    if (!bit.ok()) return bit.status();
    const FilterSql sql(f, *bit);
    // Terms are masked like the stored text, so a raw phone number finds its
    // masked form.
    const std::vector<std::string> terms = SearchTerms(MaskPersonalData(f.q));
    return WithReader<ConversationPage>([&](ReadConn& rc) {
      ConversationPage page;
      page.page = f.page;
      page.page_size = f.page_size;
      if (terms.empty()) {
        ListAll(rc, sql, page);
      } else if (!ListMatching(rc, sql, terms, page)) {
        return page;  // a term that occurs nowhere
      }
      for (ConversationSummary& s : page.items) {
        FillFacets(rc, s);
        if (!terms.empty()) FillExcerpts(rc, terms, s);
      }
      return page;
    });
  }

  Result<std::optional<Conversation>> GetConversation(int64_t id) override {
    return WithReader<std::optional<Conversation>>(
        [&](ReadConn& rc) -> std::optional<Conversation> {
          SQLite::Statement& st = rc.Prepare("SELECT " + std::string(kSummaryColumns) +
                                             " FROM conversations c WHERE c.id = :id");
          st.bind(":id", id);
          if (!st.executeStep()) return std::nullopt;
          Conversation conv;
          conv.summary = ReadSummary(st);
          st.reset();
          FillFacets(rc, conv.summary);
          SQLite::Statement& ms = rc.Prepare("SELECT " + std::string(kMessageColumns) +
                                             " FROM messages m WHERE m.conv = :id "
                                             "ORDER BY m.at_ms, m.id");
          ms.bind(":id", id);
          while (ms.executeStep()) conv.messages.push_back(ReadMessage(ms));
          return conv;
        });
  }

  Result<bool> SetConversationTags(int64_t id, const std::vector<std::string>& tags,
                                   std::optional<bool> reviewed, const std::string& actor,
                                   int64_t now_ms) override {
    std::vector<std::string> unique;
    for (const std::string& t : tags)
      if (!t.empty() && std::find(unique.begin(), unique.end(), t) == unique.end())
        unique.push_back(t);
    return writer_.Run<bool>([=](SQLite::Database& db) {
      SQLite::Transaction tx(db);
      std::string sql = "UPDATE conversations SET tags = :tags";
      if (reviewed) sql += ", reviewed_by = :by, reviewed_ms = :ms";
      SQLite::Statement st(db, sql + " WHERE id = :id");
      st.bind(":tags", JsonArray(unique));
      if (reviewed) {
        st.bind(":by", *reviewed ? actor : std::string());
        st.bind(":ms", *reviewed ? now_ms : int64_t{0});
      }
      st.bind(":id", id);
      if (st.exec() == 0) return false;
      SQLite::Statement del(db, "DELETE FROM conv_facets WHERE conv = :c AND kind = 3");
      del.bind(":c", id);
      del.exec();
      FacetStatements facets(db);
      for (const std::string& t : unique) facets.Add(kFacetTag, t, id);
      tx.commit();
      return true;
    });
  }

  Result<ReviewPage> ListReview(const std::string& status, int page, int page_size) override {
    if (!status.empty() && !ValidReviewStatus(status))
      return Status::InvalidArgument("unknown status");
    if (page < 1 || page_size < 1 || page_size > 200) return Status::InvalidArgument("bad page");
    const std::string where = status.empty() ? "" : " WHERE status = :status";
    return WithReader<ReviewPage>([&](ReadConn& rc) {
      ReviewPage out;
      out.page = page;
      out.page_size = page_size;
      {
        SQLite::Statement& st = rc.Prepare("SELECT count(*) FROM review_groups" + where);
        if (!status.empty()) st.bind(":status", status);
        if (st.executeStep()) out.total = st.getColumn(0).getInt64();
      }
      SQLite::Statement& st = rc.Prepare(
          "SELECT id, key, sample, municipality, kinds, count, first_ms, last_ms, status, note, "
          "updated_by, updated_ms FROM review_groups" +
          where + " ORDER BY last_ms DESC, id DESC LIMIT :limit OFFSET :offset");
      if (!status.empty()) st.bind(":status", status);
      st.bind(":limit", page_size);
      st.bind(":offset", static_cast<int64_t>(page - 1) * page_size);
      while (st.executeStep()) {
        ReviewGroup g;
        g.id = st.getColumn(0).getInt64();
        g.key = st.getColumn(1).getString();
        g.sample = st.getColumn(2).getString();
        g.municipality = st.getColumn(3).getString();
        g.kinds = static_cast<uint32_t>(st.getColumn(4).getInt64());
        g.count = st.getColumn(5).getInt64();
        g.first_ms = st.getColumn(6).getInt64();
        g.last_ms = st.getColumn(7).getInt64();
        g.status = st.getColumn(8).getString();
        g.note = st.getColumn(9).getString();
        g.updated_by = st.getColumn(10).getString();
        g.updated_ms = st.getColumn(11).getInt64();
        out.items.push_back(std::move(g));
      }
      for (ReviewGroup& g : out.items) {
        SQLite::Statement& cs = rc.Prepare(
            "SELECT conv, max(at_ms) AS t FROM messages WHERE review = :id GROUP BY conv "
            "ORDER BY t DESC LIMIT 5");
        cs.bind(":id", g.id);
        while (cs.executeStep()) g.conversations.push_back(cs.getColumn(0).getInt64());
        SQLite::Statement& n =
            rc.Prepare("SELECT count(*) FROM messages WHERE review = :id AND at_ms > :since");
        n.bind(":id", g.id);
        n.bind(":since", g.updated_ms);
        if (n.executeStep()) g.count_since_update = n.getColumn(0).getInt64();
      }
      return out;
    });
  }

  Result<bool> UpdateReview(int64_t id, const std::string& status, const std::string& note,
                            const std::string& actor, int64_t now_ms) override {
    if (!ValidReviewStatus(status)) return Status::InvalidArgument("unknown status");
    return writer_.Run<bool>([=](SQLite::Database& db) {
      SQLite::Statement st(db,
                           "UPDATE review_groups SET status = :s, note = :n, updated_by = :by, "
                           "updated_ms = :ms WHERE id = :id");
      st.bind(":s", status);
      st.bind(":n", note);
      st.bind(":by", actor);
      st.bind(":ms", now_ms);
      st.bind(":id", id);
      return st.exec() > 0;
    });
  }

  // Statistics and exports cover at most 400 JST days, from before to.
  static Status CheckRange(int64_t from_ms, int64_t to_ms) {
    if (to_ms < from_ms) return Status::InvalidArgument("to is before from");
    if (JstDay(to_ms) - JstDay(from_ms) + 1 > 400)
      return Status::InvalidArgument("range longer than 400 days");
    return Status::Ok();
  }

  Result<std::vector<DayStats>> Stats(int64_t from_ms, int64_t to_ms,
                                      const std::string& municipality) override {
    if (Status s = CheckRange(from_ms, to_ms); !s.ok()) return s;
    const int64_t first_day = JstDay(from_ms), last_day = JstDay(to_ms);
    return WithReader<std::vector<DayStats>>([&](ReadConn& rc) {
      struct Acc {
        DayStats s;
        std::unordered_set<std::string> users;
        std::unordered_set<int64_t> convs;
        std::unordered_map<std::string, int64_t> intents, programs;
        std::set<std::pair<int64_t, std::string>> seen_intents, seen_programs;  // (conv, id)
      };
      std::vector<Acc> days(static_cast<size_t>(last_day - first_day + 1));
      SQLite::Statement& st = rc.Prepare(
          std::string("SELECT m.at_ms, m.dir, m.intent, m.programs, m.flags, m.conv, c.user, "
                      "c.started_ms FROM messages m JOIN conversations c ON c.id = m.conv "
                      "WHERE m.at_ms >= :from AND m.at_ms <= :to") +
          (municipality.empty() ? "" : " AND m.municipality = :muni"));
      st.bind(":from", from_ms);
      st.bind(":to", to_ms);
      if (!municipality.empty()) st.bind(":muni", municipality);
      while (st.executeStep()) {
        const int64_t day = JstDay(st.getColumn(0).getInt64());
        if (day < first_day || day > last_day) continue;
        Acc& a = days[static_cast<size_t>(day - first_day)];
        const bool in = st.getColumn(1).getInt() == 0;
        const uint32_t flags = static_cast<uint32_t>(st.getColumn(4).getInt64());
        ++a.s.messages;
        const int64_t conv = st.getColumn(5).getInt64();
        if (JstDay(st.getColumn(7).getInt64()) == day) a.convs.insert(conv);
        // Intents and programs count once per conversation and day, whichever
        // direction carries them.
        const std::string intent = st.getColumn(2).getString();
        if (!intent.empty() && a.seen_intents.emplace(conv, intent).second) ++a.intents[intent];
        for (const std::string& p : ParseStringArray(st.getColumn(3).getString()))
          if (a.seen_programs.emplace(conv, p).second) ++a.programs[p];
        if (!in) {  // turn flags are counted on the inbound message of the turn
          ++a.s.outbound;
          continue;
        }
        ++a.s.inbound;
        a.users.insert(st.getColumn(6).getString());
        if (flags & kFlagAnswered) ++a.s.answered;
        if (flags & kFlagFallback) ++a.s.fallbacks;
        if (flags & kFlagAmbiguous) ++a.s.ambiguous;
        if (flags & kFlagHandoff) ++a.s.handoffs;
        if (flags & kFlagCrisis) ++a.s.crisis;
      }
      std::vector<DayStats> out;
      auto top = [](const std::unordered_map<std::string, int64_t>& m) {
        std::vector<std::pair<std::string, int64_t>> v(m.begin(), m.end());
        std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
          return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        if (v.size() > 5) v.resize(5);
        return v;
      };
      for (size_t i = 0; i < days.size(); ++i) {
        DayStats s = days[i].s;
        s.date = Date::FromDaysSinceEpoch(first_day + static_cast<int64_t>(i)).ToString();
        s.users = static_cast<int64_t>(days[i].users.size());
        s.conversations = static_cast<int64_t>(days[i].convs.size());
        s.fallback_rate = s.inbound ? static_cast<double>(s.fallbacks) / s.inbound : 0;
        s.top_intents = top(days[i].intents);
        s.top_programs = top(days[i].programs);
        out.push_back(std::move(s));
      }
      return out;
    });
  }

  Result<Insights> ComputeInsights(int64_t from_ms, int64_t to_ms,
                                   const std::string& municipality) override {
    if (Status s = CheckRange(from_ms, to_ms); !s.ok()) return s;
    return WithReader<Insights>([&](ReadConn& rc) {
      Insights out;
      SQLite::Statement& conv = rc.Prepare(
          "SELECT count(*), coalesce(sum((flags & :h) != 0), 0) FROM conversations "
          "WHERE last_ms >= :from AND started_ms <= :to AND (:muni = '' OR municipality = :muni)");
      conv.bind(":h", static_cast<int64_t>(kFlagHandoff));
      conv.bind(":from", from_ms);
      conv.bind(":to", to_ms);
      conv.bind(":muni", municipality);
      if (conv.executeStep()) {
        out.conversations = conv.getColumn(0).getInt64();
        out.with_handoff = conv.getColumn(1).getInt64();
      }
      SQLite::Statement& msgs = rc.Prepare(
          "SELECT count(*), coalesce(sum((flags & :f) != 0), 0) FROM messages WHERE dir = 0 AND "
          "at_ms >= :from AND at_ms <= :to AND (:muni = '' OR municipality = :muni)");
      msgs.bind(":f", static_cast<int64_t>(kFlagFallback));
      msgs.bind(":from", from_ms);
      msgs.bind(":to", to_ms);
      msgs.bind(":muni", municipality);
      if (msgs.executeStep()) {
        out.inbound = msgs.getColumn(0).getInt64();
        out.fallbacks = msgs.getColumn(1).getInt64();
      }
      // (week, municipality, review group) → count, then the top 5 of each
      // (week, municipality).
      std::map<std::tuple<std::string, std::string, int64_t>, int64_t> counts;
      std::map<int64_t, std::string> samples;
      SQLite::Statement& st = rc.Prepare(
          "SELECT m.at_ms, m.municipality, m.review, g.sample FROM messages m JOIN review_groups "
          "g ON g.id = m.review WHERE m.review IS NOT NULL AND m.at_ms >= :from AND "
          "m.at_ms <= :to AND (:muni = '' OR m.municipality = :muni)");
      st.bind(":from", from_ms);
      st.bind(":to", to_ms);
      st.bind(":muni", municipality);
      while (st.executeStep()) {
        const Date day = ToJst(st.getColumn(0).getInt64()).date;
        const std::string week = day.AddDays(-((day.Weekday() + 6) % 7)).ToString();
        const int64_t review = st.getColumn(2).getInt64();
        ++counts[{week, st.getColumn(1).getString(), review}];
        samples.emplace(review, st.getColumn(3).getString());
      }
      std::map<std::pair<std::string, std::string>, std::vector<Insights::Topic>> groups;
      for (const auto& [k, n] : counts) {
        const auto& [week, muni, review] = k;
        groups[{week, muni}].push_back(Insights::Topic{week, muni, review, samples[review], n});
      }
      for (auto& [k, v] : groups) {
        std::sort(v.begin(), v.end(), [](const Insights::Topic& a, const Insights::Topic& b) {
          return a.count != b.count ? a.count > b.count : a.review < b.review;
        });
        if (v.size() > 5) v.resize(5);
        out.topics.insert(out.topics.end(), v.begin(), v.end());
      }
      return out;
    });
  }

  Result<std::optional<int64_t>> LatestConversationOf(const std::string& user) override {
    return WithReader<std::optional<int64_t>>([&](ReadConn& rc) {
      SQLite::Statement& st =
          rc.Prepare("SELECT id FROM conversations WHERE user = :u ORDER BY last_ms DESC LIMIT 1");
      st.bind(":u", user);
      std::optional<int64_t> id;
      if (st.executeStep()) id = st.getColumn(0).getInt64();
      return id;
    });
  }

  Status Export(int64_t from_ms, int64_t to_ms,
                const std::function<bool(const ExportRow&)>& row) override {
    if (Status s = CheckRange(from_ms, to_ms); !s.ok()) return s;
    Result<bool> r = WithReader<bool>([&](ReadConn& rc) {
      SQLite::Statement& st =
          rc.Prepare("SELECT " + std::string(kMessageColumns) +
                     ", c.user FROM messages m JOIN conversations c ON c.id = m.conv "
                     "WHERE m.at_ms >= :from AND m.at_ms <= :to ORDER BY m.at_ms, m.id");
      st.bind(":from", from_ms);
      st.bind(":to", to_ms);
      while (st.executeStep()) {
        ExportRow r;
        r.message = ReadMessage(st);
        r.user = st.getColumn(11).getString();
        if (!row(r)) return false;
      }
      return true;
    });
    if (!r.ok()) return r.status();
    if (!*r) return Status::Unavailable("export stopped");
    return Status::Ok();
  }

  Result<Facets> ListFacets() override {
    return WithReader<Facets>([&](ReadConn& rc) {
      Facets f;
      SQLite::Statement& st =
          rc.Prepare("SELECT kind, value FROM facet_values ORDER BY kind, value");
      while (st.executeStep()) {
        const int kind = st.getColumn(0).getInt();
        std::string v = st.getColumn(1).getString();
        if (kind == kFacetIntent) f.intents.push_back(std::move(v));
        if (kind == kFacetProgram) f.programs.push_back(std::move(v));
        if (kind == kFacetTag) f.tags.push_back(std::move(v));
        if (kind == kFacetMunicipality) f.municipalities.push_back(std::move(v));
      }
      return f;
    });
  }

 private:
  static constexpr const char* kSummaryColumns =
      "c.id, c.user, c.started_ms, c.last_ms, c.municipality, c.flags, c.n_in, c.n_out, "
      "c.excerpt, c.tags, c.reviewed_by, c.reviewed_ms";
  static constexpr const char* kMessageColumns =
      "m.id, m.conv, m.at_ms, m.dir, m.text, m.municipality, m.intent, m.confidence, m.flow, "
      "m.programs, m.flags";

  struct SearchPlan {
    std::vector<std::string> matches;  // FTS5 queries, one per term
    std::vector<std::string> likes;    // terms too broad for the index: LIKE scans
  };

  // Every term must occur. Terms of 3+ characters are FTS phrases; shorter
  // ones become the OR of the indexed trigrams that start with them (nullopt
  // when there is none: nothing can match), or a LIKE scan when there are
  // more than kMaxExpansion of them.
  static std::optional<SearchPlan> PlanSearch(ReadConn& rc, const std::vector<std::string>& terms) {
    constexpr int kMaxExpansion = 500;
    SearchPlan plan;
    for (const std::string& term : terms) {
      if (utf8::CodePointCount(term) >= 3) {
        plan.matches.push_back(FtsPhrase(term));
        continue;
      }
      const std::string lo = AsciiLower(term);
      std::string hi = lo;
      hi += utf8::ToUtf8(U"\U0010FFFF");  // above every term with this prefix
      SQLite::Statement& st =
          rc.Prepare("SELECT term FROM msg_fts_vocab WHERE term >= :lo AND term < :hi LIMIT :n");
      st.bind(":lo", lo);
      st.bind(":hi", hi);
      st.bind(":n", kMaxExpansion + 1);
      std::vector<std::string> grams;
      while (st.executeStep()) grams.push_back(st.getColumn(0).getString());
      st.reset();
      if (grams.empty()) return std::nullopt;
      if (static_cast<int>(grams.size()) > kMaxExpansion) {
        plan.likes.push_back(term);
        continue;
      }
      std::string any = "(";
      for (size_t i = 0; i < grams.size(); ++i) any += (i ? " OR " : "") + FtsPhrase(grams[i]);
      plan.matches.push_back(any + ")");
    }
    return plan;
  }

  static bool ValidReviewStatus(const std::string& s) {
    return s == "pending" || s == "resolved" || s == "ignored";
  }

  static ConversationSummary ReadSummary(SQLite::Statement& st) {
    ConversationSummary s;
    s.id = st.getColumn(0).getInt64();
    s.user = st.getColumn(1).getString();
    s.started_ms = st.getColumn(2).getInt64();
    s.last_ms = st.getColumn(3).getInt64();
    s.municipality = st.getColumn(4).getString();
    s.flags = static_cast<uint32_t>(st.getColumn(5).getInt64());
    s.inbound = st.getColumn(6).getInt64();
    s.outbound = st.getColumn(7).getInt64();
    std::string excerpt = st.getColumn(8).getString();
    if (!excerpt.empty()) s.excerpts.push_back(std::move(excerpt));
    s.tags = ParseStringArray(st.getColumn(9).getString());
    s.reviewed_by = st.getColumn(10).getString();
    s.reviewed_ms = st.getColumn(11).getInt64();
    return s;
  }

  static StoredMessage ReadMessage(SQLite::Statement& st) {
    StoredMessage m;
    m.id = st.getColumn(0).getInt64();
    m.conversation = st.getColumn(1).getInt64();
    m.at_ms = st.getColumn(2).getInt64();
    m.direction = st.getColumn(3).getInt() == 0 ? "in" : "out";
    m.text = st.getColumn(4).getString();
    m.municipality = st.getColumn(5).getString();
    m.intent = st.getColumn(6).getString();
    m.confidence = st.getColumn(7).getDouble();
    m.flow = st.getColumn(8).getString();
    m.programs = ParseStringArray(st.getColumn(9).getString());
    m.flags = static_cast<uint32_t>(st.getColumn(10).getInt64());
    return m;
  }

  static void FillFacets(ReadConn& rc, ConversationSummary& s) {
    SQLite::Statement& st =
        rc.Prepare("SELECT value FROM conv_facets WHERE conv = :c AND kind = 1 ORDER BY value");
    st.bind(":c", s.id);
    while (st.executeStep()) s.intents.push_back(st.getColumn(0).getString());
  }

  // Runs `fn` on a pooled reader connection; exceptions become errors.
  template <typename T, typename F>
  Result<T> WithReader(F&& fn) {
    std::unique_ptr<ReadConn> rc;
    {
      std::lock_guard lk(pool_mu_);
      if (!pool_.empty()) {
        rc = std::move(pool_.back());
        pool_.pop_back();
      }
    }
    try {
      if (!rc) rc = std::make_unique<ReadConn>(path_);
      Result<T> out = Result<T>(fn(*rc));
      rc->ResetAll();
      std::lock_guard lk(pool_mu_);
      if (pool_.size() < 8) pool_.push_back(std::move(rc));
      return out;
    } catch (const std::exception& e) {
      return Status::IOError(std::string("log store query failed: ") + e.what());
    }
  }

  // The page of every conversation that matches the filter.
  static void ListAll(ReadConn& rc, const FilterSql& sql, ConversationPage& page) {
    {
      SQLite::Statement& st = rc.Prepare("SELECT count(*) FROM conversations c WHERE " + sql.where);
      sql.Bind(st);
      if (st.executeStep()) page.total = st.getColumn(0).getInt64();
    }
    SQLite::Statement& st =
        rc.Prepare("SELECT " + std::string(kSummaryColumns) + " FROM conversations c WHERE " +
                   sql.where + " ORDER BY c.last_ms DESC, c.id DESC LIMIT :limit OFFSET :offset");
    sql.Bind(st);
    st.bind(":limit", page.page_size);
    st.bind(":offset", sql.Offset());
    while (st.executeStep()) page.items.push_back(ReadSummary(st));
  }

  // Text search: collects every matching (id, last_ms) once, then counts,
  // sorts and cuts the page in memory (one pass over the FTS result). False
  // when a term occurs nowhere.
  static bool ListMatching(ReadConn& rc, const FilterSql& sql,
                           const std::vector<std::string>& terms, ConversationPage& page) {
    std::optional<SearchPlan> plan = PlanSearch(rc, terms);
    if (!plan) return false;
    std::vector<std::pair<int64_t, int64_t>> hits = SearchHits(rc, sql, *plan);  // (last_ms, id)
    page.total = static_cast<int64_t>(hits.size());
    const size_t begin = std::min<size_t>(hits.size(), static_cast<size_t>(sql.Offset()));
    const size_t end = std::min<size_t>(hits.size(), begin + page.page_size);
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(),
                      std::greater<>());
    SQLite::Statement& one = rc.Prepare("SELECT " + std::string(kSummaryColumns) +
                                        " FROM conversations c WHERE c.id = :id");
    for (size_t i = begin; i < end; ++i) {
      one.reset();
      one.bind(":id", hits[i].second);
      if (one.executeStep()) page.items.push_back(ReadSummary(one));
    }
    one.reset();
    return true;
  }

  // (last_ms, id) of the conversations that match the filter and the plan.
  static std::vector<std::pair<int64_t, int64_t>> SearchHits(ReadConn& rc, const FilterSql& sql,
                                                             const SearchPlan& plan) {
    std::string text = "SELECT c.id, c.last_ms FROM conversations c WHERE " + sql.where;
    // A term may occur in any message of the conversation: one MATCH per
    // term; the rowid's high bits are the conversation.
    for (size_t i = 0; i < plan.matches.size(); ++i)
      text += " AND c.id IN (SELECT rowid >> " + std::to_string(kOrdBits) +
              " FROM msg_fts WHERE msg_fts MATCH :match" + std::to_string(i) + ")";
    for (size_t i = 0; i < plan.likes.size(); ++i)
      text += " AND c.id IN (SELECT conv FROM messages WHERE text LIKE :like" + std::to_string(i) +
              " ESCAPE '\\')";
    SQLite::Statement& st = rc.Prepare(text);
    sql.Bind(st);
    for (size_t i = 0; i < plan.matches.size(); ++i)
      st.bind(":match" + std::to_string(i), plan.matches[i]);
    for (size_t i = 0; i < plan.likes.size(); ++i)
      st.bind(":like" + std::to_string(i), LikePattern(plan.likes[i]));
    std::vector<std::pair<int64_t, int64_t>> hits;
    while (st.executeStep())
      hits.emplace_back(st.getColumn(1).getInt64(), st.getColumn(0).getInt64());
    return hits;
  }

  // Excerpts: the messages containing any of the terms.
  static void FillExcerpts(ReadConn& rc, const std::vector<std::string>& terms,
                           ConversationSummary& s) {
    std::string sql = "SELECT text FROM messages WHERE conv = :c AND (";
    for (size_t i = 0; i < terms.size(); ++i)
      sql += (i ? " OR " : "") + std::string("text LIKE :t") + std::to_string(i) + " ESCAPE '\\'";
    SQLite::Statement& ex = rc.Prepare(sql + ") ORDER BY at_ms, id LIMIT 3");
    ex.bind(":c", s.id);
    for (size_t i = 0; i < terms.size(); ++i)
      ex.bind(":t" + std::to_string(i), LikePattern(terms[i]));
    s.excerpts.clear();
    while (ex.executeStep())
      s.excerpts.push_back(Excerpt(ex.getColumn(0).getString(), kExcerptChars));
  }

  const std::string path_;
  SqliteLogWriter& writer_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<ReadConn>> pool_;
};

}  // namespace

std::unique_ptr<LogQuery> NewSqliteLogQuery(const std::string& path, SqliteLogWriter& writer) {
  return std::make_unique<SqliteLogQuery>(path, writer);
}

}  // namespace log_internal
}  // namespace yorisoi::store
