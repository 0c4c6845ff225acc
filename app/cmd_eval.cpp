// `yorisoi eval FILE.jsonl… [--min 0.95] [--verbose]`: runs conversation
// cases through the engine (state and logs in memory, no network) and prints
// each case's pass/fail and the accuracy. Exit 1 when the accuracy is below
// --min, 2 on bad input.
//
// `yorisoi eval --nlu [--min 0.95]`: the question-type classifier on the
// held-out part of text/data/train/ (accuracy per intent and per file, the top
// confusions: to report, never to tune on), a 5-fold cross-validation of the
// whole decision over the training part (mean, per-intent lows and the top
// confusions with examples: the figures to tune against), and every crisis
// case (each class in Japanese, romaji and English). Exit 1 when the held-out
// accuracy is below --min or any crisis case is wrong.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "app/commands.h"
#include "app/config.h"
#include "bot/eval.h"
#include "bot/runtime.h"
#include "dialogs/lexicon.h"

namespace yorisoi::app {
namespace {

void PrintConfusions(const std::vector<text::NluEvaluation::Confusion>& confusions, size_t top) {
  for (size_t i = 0; i < confusions.size() && i < top; ++i) {
    const auto& c = confusions[i];
    std::printf("  %d  %s -> %s", c.count, c.expected.c_str(),
                c.got.empty() ? "(none)" : c.got.c_str());
    for (const auto& e : c.examples) std::printf("  「%s」", e.c_str());
    std::printf("\n");
  }
}

// Cross-validation on the training part: the figures to tune against.
void PrintCrossValidation(const text::NluEvaluation& ev) {
  std::printf("5-fold cross-validation (training part, whole decision):");
  for (double f : ev.cv_folds) std::printf(" %.1f%%", f * 100);
  std::printf("  mean %.1f%% (hand-written %.1f%%; the fold models alone %.1f%%)\n",
              ev.cv_mean * 100, ev.cv_hand * 100, ev.cv_model * 100);
  std::printf("cross-validation per intent below 95%%:\n");
  for (const auto& row : ev.cv_per_intent) {
    if (row.total == 0 || row.correct >= 0.95 * row.total) continue;
    std::printf("  %-22s %3d/%-3d %6.1f%%\n", row.intent.c_str(), row.correct, row.total,
                100.0 * row.correct / row.total);
  }
  std::printf("cross-validation confusions (expected -> got; (none) = the fallback):\n");
  PrintConfusions(ev.cv_confusions, 20);
}

int EvalNlu(const Config& cfg, const bot::Runtime& rt, double min_accuracy) {
  auto nlu = text::Nlu::Create(cfg.lexicon_dir, dialogs::BuildLexicon(rt.kb()));
  if (!nlu.ok()) {
    std::cerr << "yorisoi eval --nlu: " << nlu.error() << "\n";
    return 2;
  }
  auto ev = (*nlu)->Evaluate(5);
  if (!ev.ok()) {
    std::cerr << "yorisoi eval --nlu: " << ev.error() << "\n";
    return 2;
  }
  int total = 0;
  for (const auto& [intent, n] : ev->corpus_size) total += n;
  std::printf("corpus: %d messages, %zu intents, %d train / %d held out\n", total,
              ev->corpus_size.size(), ev->train_size, ev->heldout_total);
  std::printf("held-out accuracy per intent:\n");
  for (const auto& row : ev->per_intent) {
    std::printf("  %-22s %3d/%-3d %6.1f%%  (corpus %d)\n", row.intent.c_str(), row.correct,
                row.total, row.total ? 100.0 * row.correct / row.total : 0.0,
                ev->corpus_size[row.intent]);
  }
  std::printf("held-out confusions (expected -> got; report only, never tune on them):\n");
  PrintConfusions(ev->confusions, 10);
  for (const auto& f : ev->heldout_by_file) {
    std::printf("held-out from train/%s: %d/%d = %.1f%%\n", f.file.c_str(), f.correct, f.total,
                f.total ? 100.0 * f.correct / f.total : 0.0);
  }
  PrintCrossValidation(*ev);
  int crisis_ok = 0;
  for (const auto& c : ev->crisis) {
    crisis_ok += c.ok;
    if (!c.ok) {
      std::string got;
      for (const auto& k : c.got) got += k + " ";
      std::printf("  CRISIS FAIL [%s/%s] 「%s」 got language %s, kinds: %s\n", c.language.c_str(),
                  c.kind.c_str(), c.text.c_str(), c.got_language.c_str(), got.c_str());
    }
  }
  std::printf("crisis cases: %d/%zu right\n", crisis_ok, ev->crisis.size());
  const double accuracy =
      ev->heldout_total ? static_cast<double>(ev->heldout_correct) / ev->heldout_total : 0.0;
  std::printf(
      "held-out accuracy: %d/%d = %.1f%% (hand-written %d/%d = %.1f%%; min %.1f%%)\n",
      ev->heldout_correct, ev->heldout_total, accuracy * 100, ev->heldout_hand_correct,
      ev->heldout_hand_total,
      ev->heldout_hand_total ? 100.0 * ev->heldout_hand_correct / ev->heldout_hand_total : 0.0,
      min_accuracy * 100);
  const bool crisis_all = crisis_ok == static_cast<int>(ev->crisis.size()) && !ev->crisis.empty();
  return accuracy + 1e-9 >= min_accuracy && crisis_all ? 0 : 1;
}

}  // namespace

int CmdEval(const EvalOptions& options) {
  auto cfg = LoadConfigOrReport(options.config);
  if (!cfg.ok()) return 2;
  const double min_accuracy = options.min_accuracy;
  std::vector<bot::eval::Case> cases;
  for (const std::string& f : options.files) {
    auto loaded = bot::eval::LoadCases(f);
    if (!loaded.ok()) {
      std::cerr << "yorisoi eval: " << loaded.error() << "\n";
      return 2;
    }
    cases.insert(cases.end(), loaded->begin(), loaded->end());
  }
  // The cases replay recorded instants: the server clock is the latest of
  // them, so no case's timestamp is mistaken for an implausible one.
  int64_t latest = 0;
  for (const bot::eval::Case& c : cases) latest = std::max(latest, c.at_ms);
  const FakeClock clock(latest);
  bot::RuntimeOptions o = RuntimeOptionsFrom(*cfg, &clock);
  o.in_memory = true;
  auto rt = bot::Runtime::Open(o);
  if (!rt.ok()) {
    std::cerr << "yorisoi eval: " << rt.error() << "\n";
    return 1;
  }
  if (options.nlu) return EvalNlu(*cfg, **rt, min_accuracy);
  int passed = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const bot::eval::Case& c = cases[i];
    const bot::eval::CaseResult r = bot::eval::RunCase(**rt, c, "eval-" + std::to_string(i));
    passed += r.passed;
    std::cout << (r.passed ? "PASS " : "FAIL ") << c.id;
    for (const auto& m : r.missing) std::cout << "  missing[" << m << "]";
    for (const auto& f : r.forbidden) std::cout << "  forbidden[" << f << "]";
    std::cout << "\n";
    if (options.verbose || !r.passed) {
      std::string reply = r.reply;
      for (size_t p; (p = reply.find('\n')) != std::string::npos;) reply.replace(p, 1, " / ");
      std::cout << "     reply: " << reply << "\n";
    }
  }
  const double accuracy = cases.empty() ? 0.0 : static_cast<double>(passed) / cases.size();
  std::printf("accuracy: %d/%zu = %.1f%% (min %.1f%%)\n", passed, cases.size(), accuracy * 100,
              min_accuracy * 100);
  return accuracy + 1e-9 >= min_accuracy ? 0 : 1;
}

}  // namespace yorisoi::app
