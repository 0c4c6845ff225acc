// A parent sets up reminders in a conversation (`yorisoi chat --jsonl` on a
// data directory), then `yorisoi reminders plan --date` lists them on the
// right dates — 現況届 in August, 有田市's odd-month 11th moved to the
// previous business day — and after 「通知をやめる」 lists nothing. Runs the
// real binary; every event carries its own time.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/temp_dir.h"

namespace yorisoi {
namespace {

std::string RunYorisoi(const std::string& dir, const std::string& args, const std::string& input = "") {
  const std::string in = dir + "/in.jsonl";
  {
    std::ofstream f(in);
    f << input;
  }
  // No config file in `dir`: defaults, with the data directory given here.
  const std::string cmd = "cd '" + dir + "' && env -u YORISOI_DATA_DIR YORISOI_DATA_DIR='" + dir +
                          "/data' '" YORISOI_BINARY "' " + args + " < '" + in + "' 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return "popen failed";
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int rc = ::pclose(p);
  if (rc != 0) out += "\n[exit " + std::to_string(rc) + "]";
  return out;
}

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(RemindersCli, ConversationThenPlanOnTheRightDates) {
  test_util::TempDir dir("yorisoi-reminders-cli");
  const std::string chat = RunYorisoi(dir.path(), "chat --jsonl",
                               R"({"user":"parent-a","text":"有田市です","at":"2026-06-01T10:00:00+09:00"}
{"user":"parent-a","text":"通知を設定したい","at":"2026-06-01T10:00:10+09:00"}
{"user":"parent-a","postback":"remind=add&k=renewal","at":"2026-06-01T10:00:20+09:00"}
{"user":"parent-a","postback":"remind=add&k=payment","at":"2026-06-01T10:00:30+09:00"}
{"user":"parent-a","postback":"remind=confirm","at":"2026-06-01T10:00:40+09:00"}
{"user":"parent-a","postback":"remind=consent","at":"2026-06-01T10:00:50+09:00"}
{"user":"parent-b","postback":"menu=reminders","at":"2026-06-01T11:00:00+09:00"}
{"user":"parent-b","text":"有田市","at":"2026-06-01T11:00:10+09:00"}
{"user":"parent-b","postback":"remind=add&k=payment","at":"2026-06-01T11:00:20+09:00"}
{"user":"parent-b","postback":"remind=confirm","at":"2026-06-01T11:00:30+09:00"}
{"user":"parent-b","text":"はい","at":"2026-06-01T11:00:40+09:00"}
)");
  ASSERT_TRUE(Has(chat, "通知を設定しました")) << chat;

  struct Case {
    const char* date;
    const char* summary;  // the first line
    const char* says;     // "" when nothing is due
  };
  const Case kCases[] = {
      {"2026-08-01", "1 reminder(s), 1 user(s), 1 multicast call(s)", "8月は児童扶養手当の現況届の月です"},
      {"2026-08-03", "0 reminder(s), 0 user(s)", ""},
      {"2026-09-11", "1 reminder(s), 2 user(s), 1 multicast call(s)", "今日9月11日(金)は児童扶養手当の支給日です"},
      {"2027-01-11", "0 reminder(s)", ""},
      {"2027-01-08", "1 reminder(s), 2 user(s)", "1月11日が祝日（成人の日）のため、直前の金融機関営業日"},
      {"2026-07-10", "1 reminder(s), 2 user(s)", "7月11日が土曜日のため"},
  };
  for (const Case& c : kCases) {
    const std::string out = RunYorisoi(dir.path(), std::string("reminders plan --date ") + c.date);
    EXPECT_TRUE(Has(out, c.summary)) << c.date << "\n" << out;
    if (*c.says) EXPECT_TRUE(Has(out, c.says)) << c.date << "\n" << out;
    EXPECT_TRUE(Has(out, "2 subscription(s)")) << out;
  }

  // 「通知をやめる」 and unfollow stop them at once.
  RunYorisoi(dir.path(), "chat --jsonl",
      R"({"user":"parent-a","text":"通知をやめる","at":"2026-06-02T10:00:00+09:00"}
{"user":"parent-b","event":"unfollow","at":"2026-06-02T10:00:10+09:00"}
)");
  const std::string after = RunYorisoi(dir.path(), "reminders plan --date 2026-09-11");
  EXPECT_TRUE(Has(after, "0 reminder(s), 0 user(s), 0 multicast call(s); 0 subscription(s)"))
      << after;

  EXPECT_TRUE(Has(RunYorisoi(dir.path(), "reminders plan --date 2026-13-01"), "[exit"));
  EXPECT_TRUE(Has(RunYorisoi(dir.path(), "reminders plan"), "usage"));
}

}  // namespace
}  // namespace yorisoi
