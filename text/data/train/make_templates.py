#!/usr/bin/env python3
"""Writes text/data/train/templates.jsonl: template-generated variants of the
question types, never more than the hand-written messages of each type
(hand.jsonl). Deterministic (fixed seed); rerun after editing the lists:

    python3 text/data/train/make_templates.py

Every line: {"text", "intent", "source": "template", "split"}; 15 % of each
type is held out (the held-out hand-written messages are the honest part)."""
import hashlib
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261129)

REGIONS = ["", "", "小平市の", "国立市の", "有田市の", "岡山市の", "くにたち市の", "こだいらの"]
PROGRAMS = ["児童扶養手当", "児童育成手当", "育成手当", "ひとり親医療費助成", "マル親", "児童手当",
            "高等職業訓練促進給付金", "自立支援教育訓練給付金", "母子父子寡婦福祉資金", "ホームヘルプサービス",
            "就学援助", "医療証", "じどうふようてあて", "ジドウフヨウテアテ"]
LOANS = ["母子父子寡婦福祉資金", "修学資金", "就学支度資金", "転宅資金", "国の教育ローン",
         "高等職業訓練促進資金", "生活資金", "技能習得資金", "ひとり親の貸付"]
DEPTS = ["子育て支援課", "ひとり親相談", "子ども家庭課", "窓口", "こども福祉課", "ひとり親の相談窓口", "市役所"]
ENDS = ["", "", "？", "?", "。", "😅", "🙏", "〜", "！"]

FACETS = {
    "program.overview": ["って何", "とは", "について教えて", "ってどんな制度", "の内容を知りたい", "について詳しく", "ってなに"],
    "program.amount": ["はいくら", "っていくらもらえる", "の金額を教えて", "の月額は", "って月いくらですか", "の支給額", "っていくら"],
    "program.eligibility": ["の対象は", "ってもらえる", "は誰でも受けられる", "の条件を教えて", "は私も対象ですか", "を受けられますか", "の受給資格"],
    "program.income_limit": ["の所得制限は", "の所得制限っていくら", "は年収いくらまで", "の収入の上限", "の所得制限を超えたら", "の所得の限度額"],
    "program.apply": ["の申請方法", "の手続きはどうすれば", "の申し込み方を教えて", "はどうやって申請するの", "を申請したい", "の申請のしかた"],
    "program.documents": ["の必要書類", "の申請に必要なもの", "の持ち物は", "の申請に何が必要", "に必要な書類を教えて", "の申請に戸籍はいる"],
    "program.payment_date": ["の支給日", "はいつ振り込まれる", "の振込日はいつ", "はいつもらえる", "の支払月", "の入金日"],
    "program.window": ["はどこに相談すればいい", "の担当窓口", "の問い合わせ先", "はどこで手続きするの", "の窓口はどこの課", "の担当の課"],
    "program.renewal": ["の現況届はいつ", "の更新手続き", "の現況届の期限", "の更新はいつ", "の現況届はどこに出す", "の現況届を忘れたら"],
    "program.reduction": ["は5年で減額される", "の一部支給停止", "は7年たつと減る", "の減額について", "が減額される条件", "の5年減額"],
    "program.related": ["と一緒に使える制度", "以外に使える制度は", "と併用できる支援", "に関連する制度", "の他にもらえるもの", "とセットで使える制度"],
}
LOAN_FACETS = ["はいくらまで借りられる", "の限度額", "の利子は", "の返済はいつから", "の償還期間", "の返還免除の条件", "の利率", "の保証人"]
WINDOW = {
    "window.phone": ["{r}{d}の電話番号", "{r}{d}に電話したい", "{r}{d}の連絡先", "{r}{d}の電話番号を教えて", "{r}{d}の番号"],
    "window.place": ["{r}{d}はどこ", "{r}{d}の場所", "{r}{d}の住所", "{r}{d}って何階", "{r}{d}への行き方"],
    "window.hours": ["{r}{d}の受付時間", "{r}{d}は何時まで", "{r}{d}は土曜もやってる", "{r}{d}は何時から", "{r}{d}の開いてる時間"],
    "window.open_now": ["{r}{d}は今やってる", "{r}{d}は今日開いてる", "今から{r}{d}に電話してもいい", "{r}{d}に今日行ける", "{r}{d}は今つながる"],
}
PLAIN = {
    "greeting": ["こんにちは", "こんばんは", "おはようございます", "はじめまして", "よろしくお願いします", "hello"],
    "thanks": ["ありがとう", "ありがとうございます", "助かりました", "了解です", "わかりました", "thanks"],
    "help": ["使い方", "何ができる", "ヘルプ", "メニュー", "できること教えて", "何が聞ける"],
    "reset": ["リセット", "最初から", "やり直し", "はじめから", "リセットして", "最初に戻る"],
    "cancel": ["キャンセル", "やめます", "中止", "もういい", "取り消し", "やっぱりいい"],
    "handoff": ["人と話したい", "担当者と話したい", "職員と話したい", "オペレーター", "人間と話したい", "相談員につないで"],
    "feeling": ["疲れた", "しんどい", "不安", "寂しい", "つらい", "眠れない"],
    "out_of_scope": ["天気", "レシピ", "占い", "映画のおすすめ", "株価", "ゲーム"],
}
PREFIX = ["", "", "あの、", "すみません、", "えっと ", "ちょっと "]
CATEGORIES = ["医療", "住まい", "貸付", "仕事", "手当", "税金の減免", "交通", "子育て"]
MUNIS = ["小平市", "国立市", "有田市", "岡山市", "くにたち", "こだいら", "ありだ", "岡山市北区"]
PREFS = ["", "東京都", "和歌山県", "岡山県"]


def gen(intent):
    if intent in FACETS:
        progs = PROGRAMS if intent != "program.reduction" else ["児童扶養手当", "じどうふようてあて", "手当", "児扶手"]
        return rng.choice(REGIONS) + rng.choice(progs) + rng.choice(FACETS[intent]) + rng.choice(ENDS)
    if intent == "program.loan":
        return rng.choice(REGIONS) + rng.choice(LOANS) + rng.choice(LOAN_FACETS) + rng.choice(ENDS)
    if intent in WINDOW:
        return rng.choice(WINDOW[intent]).format(r=rng.choice(REGIONS), d=rng.choice(DEPTS)) + rng.choice(ENDS)
    if intent in PLAIN:
        return rng.choice(PREFIX) + rng.choice(PLAIN[intent]) + rng.choice(ENDS)
    if intent == "calc":
        n, m, k = rng.choice([90, 120, 150, 180, 200, 230, 260, 300]), rng.choice([8, 10, 12, 15, 18, 20]), rng.randint(1, 3)
        return rng.choice([f"年収{n}万で子ども{k}人", f"月収{m}万、子ども{k}人だといくら", f"手取り{m}万で子ども{k}人の場合の手当",
                           f"パートで年{n}万、子ども{k}人なら児童扶養手当はいくら", f"年収{n}万円だといくらもらえる",
                           f"給料が月{m}万なら手当はいくら"]) + rng.choice(ENDS)
    if intent == "municipality.set":
        mu = rng.choice(MUNIS)
        return rng.choice([f"{mu}に住んでいます", f"{mu}です", f"{mu}在住", f"{rng.choice(PREFS)}{mu}に住んでます",
                           f"住所は{mu}です"]) + rng.choice(ENDS)
    if intent == "program.list":
        return rng.choice([f"{rng.choice(REGIONS)}ひとり親の支援は", f"{rng.choice(REGIONS)}{rng.choice(CATEGORIES)}の制度は",
                           f"{rng.choice(CATEGORIES)}の支援って何がある", f"{rng.choice(REGIONS)}支援制度の一覧"]) + rng.choice(ENDS)
    if intent == "diagnose":
        k = rng.randint(1, 3)
        sit = rng.choice([f"子ども{k}人のシングルマザーです", "離婚したばかりです", f"父子家庭で子ども{k}人", "ひとり親になりました"])
        return sit + "。" + rng.choice(["使える制度を知りたい", "何がもらえる？", "受けられる支援を診断して", "私に使える支援は？"])
    raise KeyError(intent)


def main():
    hand = {}
    with open(os.path.join(HERE, "hand.jsonl"), encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            hand.setdefault(row["intent"], set()).add(row["text"])
    out = []
    for intent in sorted(hand):
        want = max(0, min(len(hand[intent]), 62 - len(hand[intent])))
        seen = set(hand[intent])
        rows = []
        tries = 0
        while len(rows) < want and tries < 5000:
            tries += 1
            t = gen(intent)
            if t in seen:
                continue
            seen.add(t)
            rows.append(t)
        for t in rows:
            h = int(hashlib.sha1((intent + "\t" + t).encode()).hexdigest(), 16)
            out.append({"text": t, "intent": intent, "source": "template",
                        "split": "heldout" if h % 100 < 15 else "train"})
    with open(os.path.join(HERE, "templates.jsonl"), "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
