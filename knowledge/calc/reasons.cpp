// The one renderer of the calculator's reasons: Reason → Japanese sentence,
// code names and the codes' meaning for the dialogs.
#include <string>

#include "knowledge/calc/calc.h"
#include "knowledge/calc/calc_internal.h"

namespace yorisoi::calc {
namespace {

using internal::EraYear;
using internal::FormatRate;
using internal::JaDate;
using internal::Yen;

std::string ChildName(const Reason& r) {
  return (r.child ? JaDate(*r.child) : std::string()) + "生まれのお子さん";
}

std::string Num(long long n) { return std::to_string(n); }

std::string MissingFigures(const Reason& r) {
  // Plain words for the parent (no fact ids): the date and the window.
  std::string s = (r.date ? JaDate(*r.date) : std::string()) +
                  "時点の金額・基準のデータがないため計算できません。";
  if (r.from && r.date && *r.from > *r.date)
    s += "計算できるのは" + JaDate(*r.from) + "以降の分です。";
  return s;
}

std::string DependentsCounted(const Reason& r) {
  std::string s = "扶養親族等の数は、18歳未満のお子さんと扶養しているお子さん" +
                  (r.elderly > 0 ? "、老人扶養親族" + Num(r.elderly) + "人" : std::string()) +
                  "から" + Num(r.count) + "人としました。";
  if (r.specific > 0) {
    s += "16〜22歳のお子さん" + Num(r.specific) + "人分（" + EraYear(r.year) +
         "12月31日時点の年齢）、限度額に" + Yen(r.amount) + "を加えました。";
  }
  return s;
}

std::string ResidentTaxJudged(const Reason& r) {
  return "合計所得金額 " + Yen(r.income) + "が" + Yen(r.limit) +
         (r.exempt ? "以下のため、住民税は非課税と判定しました（ひとり親の目安）。"
                   : "を超えるため、住民税は課税と判定しました（ひとり親の目安）。");
}

std::string KoutouConditions(const Reason& r) {
  std::string cond = "支給は最長" + Num(r.months) + "か月です。";
  if (r.min_months) cond = "修業期間" + Num(*r.min_months) + "か月以上の資格取得が対象で、" + cond;
  return cond + "事前に窓口へのご相談が必要です。";
}

// Reasons about the household and its children.
std::string HouseholdText(const Reason& r) {
  switch (r.code) {
    case ReasonCode::kDependentsGiven:
      return "扶養親族等の数は入力どおり" + Num(r.count) + "人です。";
    case ReasonCode::kDependentsCounted:
      return DependentsCounted(r);
    case ReasonCode::kJfaNotSingleParent:
      return "ひとり親家庭（離婚・死別・未婚など）ではないため対象外です。";
    case ReasonCode::kNotSingleParent:
      return "ひとり親家庭ではないため対象外です。";
    case ReasonCode::kKunitachiNotSingleParent:
      return "ひとり親世帯ではないため対象外です。";
    case ReasonCode::kNoChildUnderAge:
      return Num(r.age) + "歳未満のお子さんを養育していないため対象外です。";
    case ReasonCode::kResidentTaxGiven:
      return std::string("住民税は入力どおり") + (r.exempt ? "非課税" : "課税") +
             "として扱います。";
    case ReasonCode::kResidentTaxAssumed:
      return "住民税の課税・非課税が入力されていないため、課税として扱います。";
    case ReasonCode::kResidentTaxJudged:
      return ResidentTaxJudged(r);
    default:
      return {};
  }
}

// 児童扶養手当 and 児童手当.
std::string JfaJtText(const Reason& r) {
  switch (r.code) {
    case ReasonCode::kJfaChildNotSupported:
      return ChildName(r) + "は養育していないため、対象児童に含めません。";
    case ReasonCode::kJfaChildPastAge:
      return ChildName(r) +
             "は18歳到達後の年度末を過ぎている（障害がある場合は20歳以上の）ため、"
             "対象児童ではありません。";
    case ReasonCode::kJfaChildDisabled:
      return ChildName(r) + "は障害があるため、20歳になる月まで対象です。";
    case ReasonCode::kJfaNoChild:
      return "対象となる児童（18歳到達後の最初の3月31日まで、一定の障害がある場合は"
             "20歳未満）がいないため対象外です。";
    case ReasonCode::kJfaStopped:
      return "所得額 " + Yen(r.income) + "が一部支給の限度額 " + Yen(r.limit) +
             "以上のため、支給停止（0円）です。";
    case ReasonCode::kJfaPartial:
      return "所得額 " + Yen(r.income) + "が全部支給の限度額 " + Yen(r.limit) +
             "以上、一部支給の限度額 " + Yen(r.upper) + "未満のため一部支給です。";
    case ReasonCode::kJfaFull:
      return "所得額 " + Yen(r.income) + "が全部支給の限度額 " + Yen(r.limit) +
             "未満のため全部支給です。";
    case ReasonCode::kJfaObligorNote:
      return "同居の扶養義務者（祖父母など）の所得が限度額 " + Yen(r.limit) +
             "以上の場合や、公的年金を受けている場合は、支給されない・減ることがあります。";
    case ReasonCode::kJtCurrentSystem:
      return "この計算は2024年10月からの制度（所得制限なし・高校生年代まで）で行います。";
    case ReasonCode::kJtChildNotSupported:
      return ChildName(r) + "は養育していないため、数に含めません。";
    case ReasonCode::kJtChildPastCountAge:
      return ChildName(r) + "は" + Num(r.age) +
             "歳到達後の年度末を過ぎているため、第何子かの数に含めません。";
    case ReasonCode::kJtChildCountedOnly:
      return ChildName(r) + "は高校生年代を過ぎているため支給対象ではありませんが、" + Num(r.age) +
             "歳到達後の年度末までは第何子かの数に含めます（第" + Num(r.order) + "子）。";
    case ReasonCode::kJtNoChild:
      return "支給対象のお子さん（18歳到達後の最初の3月31日まで）がいないため対象外です。";
    case ReasonCode::kJtNoIncomeLimit:
      return "所得制限はありません。お子さんの年齢と第何子かで月額が決まります。";
    default:
      return {};
  }
}

// 児童育成手当 and ひとり親家庭等医療費助成.
std::string TokyoText(const Reason& r) {
  switch (r.code) {
    case ReasonCode::kIkuseiNoChild:
      return "対象となるお子さん（18歳到達後の最初の3月31日まで、障害手当は20歳未満）が"
             "いないため対象外です。";
    case ReasonCode::kIkuseiNoDisabledChild:
      return "ひとり親家庭ではなく、障害手当の対象となるお子さんもいないため対象外です。";
    case ReasonCode::kIkuseiStopped:
      return "所得 " + Yen(r.income) + "が限度額 " + Yen(r.limit) + "以上のため、支給されません。";
    case ReasonCode::kIkuseiBelowLimit:
      return "所得 " + Yen(r.income) + "が限度額 " + Yen(r.limit) + "未満です。";
    case ReasonCode::kIkuseiNotSingleParent:
      return "ひとり親家庭ではないため、育成手当は対象外です。";
    case ReasonCode::kIkuseiPayment:
      return "東京都の制度です。支給は6月・10月・2月です。";
    case ReasonCode::kIryoNoChild:
      return "対象となるお子さん（18歳到達後の最初の3月31日まで、一定の障害がある場合は20歳未満）が"
             "いないため対象外です。";
    case ReasonCode::kIryoStopped:
      return "所得額 " + Yen(r.income) + "が限度額 " + Yen(r.limit) +
             "以上のため、助成を受けられません。";
    case ReasonCode::kIryoBelowLimit:
      return "所得額 " + Yen(r.income) + "が限度額 " + Yen(r.limit) + "未満です。";
    case ReasonCode::kIryoApplication:
      return "保険診療の自己負担分を助成します。医療証の申請が必要です。";
    default:
      return {};
  }
}

// The training grants and 国立市 住宅費助成.
std::string TrainingHousingText(const Reason& r) {
  switch (r.code) {
    case ReasonCode::kTrainingIncomeAboveJfa:
      return "所得額 " + Yen(r.income) + "が児童扶養手当の支給水準（" + Yen(r.limit) +
             "未満）を超えるため対象外です。";
    case ReasonCode::kTrainingIncomeWithinJfa:
      return "所得額 " + Yen(r.income) + "は児童扶養手当を受けられる水準（" + Yen(r.limit) +
             "未満）です。";
    case ReasonCode::kKoutouNoFinalAdd:
      return "この日付では、最後の12か月の加算はまだありません。";
    case ReasonCode::kKoutouFinalAdd:
      return "修業期間の最後の12か月は月 " + Yen(r.amount) + "が加算されます。";
    case ReasonCode::kKoutouConditions:
      return KoutouConditions(r);
    case ReasonCode::kJiritsuNoFee:
      return "受講費用（入学料・受講料）が入力されていないため、金額は計算していません。"
             "受講費用の" +
             FormatRate(r.rate * 100) + "%が支給されます。";
    case ReasonCode::kJiritsuBelowMinimum:
      return "支給額が " + Yen(r.limit) + "以下のため支給されません。";
    case ReasonCode::kJiritsuSenmonCaps:
      return "専門実践教育訓練は1年あたり " + Yen(r.limit) + "、通算 " + Yen(r.upper) +
             "が上限です。";
    case ReasonCode::kJiritsuAfterCourse:
      return "受講修了後に支給されます（雇用保険の教育訓練給付を受ける場合はその額を差し引きます）"
             "。"
             "受講前に窓口へのご相談が必要です。";
    case ReasonCode::kKunitachiYearsUnknown:
      return "国立市に住んでいる年数が入力されていないため判定できません（引き続き" + Num(r.years) +
             "年以上が条件です）。";
    case ReasonCode::kKunitachiYearsShort:
      return "国立市に引き続き" + Num(r.years) + "年以上住んでいることが条件です。";
    case ReasonCode::kKunitachiIncomeAboveFull:
      return "所得額 " + Yen(r.income) + "が児童扶養手当の全部支給の水準（" + Yen(r.limit) +
             "未満）ではないため対象外です。";
    case ReasonCode::kKunitachiIncomeWithinFull:
      return "所得額 " + Yen(r.income) + "は児童扶養手当の全部支給の水準（" + Yen(r.limit) +
             "未満）です。";
    case ReasonCode::kKunitachiRentMissing:
      return "家賃（月額）が入力されていないため計算できません。";
    case ReasonCode::kKunitachiHousehold:
      return "市内の民間の借家・アパートにお住まいの、親と18歳未満の子どものみの世帯が対象です。";
    case ReasonCode::kKunitachiAdultChild:
      return "18歳以上のお子さんと同居している場合は対象外になることがあります。";
    default:
      return {};
  }
}

}  // namespace

std::string ReasonText(const Reason& r) {
  if (r.code == ReasonCode::kMissingFigures) return MissingFigures(r);
  for (auto* text : {HouseholdText, JfaJtText, TokyoText, TrainingHousingText}) {
    std::string s = text(r);
    if (!s.empty()) return s;
  }
  return {};
}

std::string_view ReasonCodeName(ReasonCode c) {
  switch (c) {
    case ReasonCode::kMissingFigures:
      return "missing_figures";
    case ReasonCode::kDependentsGiven:
      return "dependents_given";
    case ReasonCode::kDependentsCounted:
      return "dependents_counted";
    case ReasonCode::kJfaNotSingleParent:
      return "jfa_not_single_parent";
    case ReasonCode::kNotSingleParent:
      return "not_single_parent";
    case ReasonCode::kKunitachiNotSingleParent:
      return "kunitachi_not_single_parent";
    case ReasonCode::kNoChildUnderAge:
      return "no_child_under_age";
    case ReasonCode::kResidentTaxGiven:
      return "resident_tax_given";
    case ReasonCode::kResidentTaxAssumed:
      return "resident_tax_assumed";
    case ReasonCode::kResidentTaxJudged:
      return "resident_tax_judged";
    case ReasonCode::kJfaChildNotSupported:
      return "jfa_child_not_supported";
    case ReasonCode::kJfaChildPastAge:
      return "jfa_child_past_age";
    case ReasonCode::kJfaChildDisabled:
      return "jfa_child_disabled";
    case ReasonCode::kJfaNoChild:
      return "jfa_no_child";
    case ReasonCode::kJfaStopped:
      return "jfa_stopped";
    case ReasonCode::kJfaPartial:
      return "jfa_partial";
    case ReasonCode::kJfaFull:
      return "jfa_full";
    case ReasonCode::kJfaObligorNote:
      return "jfa_obligor_note";
    case ReasonCode::kJtCurrentSystem:
      return "jt_current_system";
    case ReasonCode::kJtChildNotSupported:
      return "jt_child_not_supported";
    case ReasonCode::kJtChildPastCountAge:
      return "jt_child_past_count_age";
    case ReasonCode::kJtChildCountedOnly:
      return "jt_child_counted_only";
    case ReasonCode::kJtNoChild:
      return "jt_no_child";
    case ReasonCode::kJtNoIncomeLimit:
      return "jt_no_income_limit";
    case ReasonCode::kIkuseiNoChild:
      return "ikusei_no_child";
    case ReasonCode::kIkuseiNoDisabledChild:
      return "ikusei_no_disabled_child";
    case ReasonCode::kIkuseiStopped:
      return "ikusei_stopped";
    case ReasonCode::kIkuseiBelowLimit:
      return "ikusei_below_limit";
    case ReasonCode::kIkuseiNotSingleParent:
      return "ikusei_not_single_parent";
    case ReasonCode::kIkuseiPayment:
      return "ikusei_payment";
    case ReasonCode::kIryoNoChild:
      return "iryo_no_child";
    case ReasonCode::kIryoStopped:
      return "iryo_stopped";
    case ReasonCode::kIryoBelowLimit:
      return "iryo_below_limit";
    case ReasonCode::kIryoApplication:
      return "iryo_application";
    case ReasonCode::kTrainingIncomeAboveJfa:
      return "training_income_above_jfa";
    case ReasonCode::kTrainingIncomeWithinJfa:
      return "training_income_within_jfa";
    case ReasonCode::kKoutouNoFinalAdd:
      return "koutou_no_final_add";
    case ReasonCode::kKoutouFinalAdd:
      return "koutou_final_add";
    case ReasonCode::kKoutouConditions:
      return "koutou_conditions";
    case ReasonCode::kJiritsuNoFee:
      return "jiritsu_no_fee";
    case ReasonCode::kJiritsuBelowMinimum:
      return "jiritsu_below_minimum";
    case ReasonCode::kJiritsuSenmonCaps:
      return "jiritsu_senmon_caps";
    case ReasonCode::kJiritsuAfterCourse:
      return "jiritsu_after_course";
    case ReasonCode::kKunitachiYearsUnknown:
      return "kunitachi_years_unknown";
    case ReasonCode::kKunitachiYearsShort:
      return "kunitachi_years_short";
    case ReasonCode::kKunitachiIncomeAboveFull:
      return "kunitachi_income_above_full";
    case ReasonCode::kKunitachiIncomeWithinFull:
      return "kunitachi_income_within_full";
    case ReasonCode::kKunitachiRentMissing:
      return "kunitachi_rent_missing";
    case ReasonCode::kKunitachiHousehold:
      return "kunitachi_household";
    case ReasonCode::kKunitachiAdultChild:
      return "kunitachi_adult_child";
  }
  return "unknown";
}

bool IsIncomeTooHigh(ReasonCode c) {
  switch (c) {
    case ReasonCode::kJfaStopped:
    case ReasonCode::kIkuseiStopped:
    case ReasonCode::kIryoStopped:
    case ReasonCode::kTrainingIncomeAboveJfa:
    case ReasonCode::kKunitachiIncomeAboveFull:
      return true;
    default:
      return false;
  }
}

bool IsChildCountNote(ReasonCode c) {
  return c == ReasonCode::kJtChildNotSupported || c == ReasonCode::kJtChildPastCountAge ||
         c == ReasonCode::kJtChildCountedOnly;
}

std::string_view EligibilityName(Eligibility e) {
  switch (e) {
    case Eligibility::kFull:
      return "full";
    case Eligibility::kPartial:
      return "partial";
    case Eligibility::kStopped:
      return "stopped";
    case Eligibility::kIneligible:
      return "ineligible";
  }
  return "ineligible";
}

std::ostream& operator<<(std::ostream& os, Eligibility e) { return os << EligibilityName(e); }

}  // namespace yorisoi::calc
