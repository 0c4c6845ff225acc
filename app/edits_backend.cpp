#include "app/edits_backend.h"

namespace yorisoi::app {
namespace {

namespace admin = adapters::admin;

class RuntimeEditsBackend final : public admin::EditsBackend {
 public:
  explicit RuntimeEditsBackend(bot::Runtime& rt) : rt_(rt) {}

  store::EditsStore* store() override { return rt_.edits_store(); }

  std::vector<admin::EditTargetInfo> Targets() override {
    std::vector<admin::EditTargetInfo> out;
    for (const bot::EditTarget& t : rt_.EditTargets()) out.push_back({t.kind, t.id, t.label});
    return out;
  }

  Status CheckExample(const store::ExampleInput& in) override { return rt_.CheckExample(in); }
  Status CheckFaq(const store::FaqContent& c) override { return rt_.CheckFaq(c); }

  Result<admin::PreviewOutput> Preview(const admin::PreviewInput& in) override {
    bot::PreviewRequest r;
    r.text = in.text;
    r.municipality = in.municipality;
    r.at_ms = in.at_ms;
    r.draft_faq = in.draft_faq;
    r.draft_faq_id = in.draft_faq_id;
    r.draft_example = in.draft_example;
    auto p = rt_.Preview(r);
    if (!p.ok()) return p.status();
    admin::PreviewOutput out;
    out.texts = p->texts;
    out.quick_replies = p->quick_replies;
    out.intent = p->meta.intent;
    out.flow = p->meta.flow;
    out.answered = p->meta.answered;
    out.fallback = p->meta.fallback;
    out.crisis = p->meta.crisis;
    return out;
  }

  void Reload() override { rt_.ReloadEdits(); }

 private:
  bot::Runtime& rt_;
};

}  // namespace

std::unique_ptr<adapters::admin::EditsBackend> NewRuntimeEditsBackend(bot::Runtime& runtime) {
  return std::make_unique<RuntimeEditsBackend>(runtime);
}

}  // namespace yorisoi::app
