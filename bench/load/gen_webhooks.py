#!/usr/bin/env python3
"""Writes N distinct, signed LINE webhook bodies for the load test.

Each line: <x-line-signature>\t<body>. Every body has its own webhookEventId
and reply token; users cycle through --users pseudo ids; texts cycle through
typical parent questions. Timestamps are "now", so generate right before a run
(reply tokens older than ~50 s are answered by push instead).

    gen_webhooks.py --secret S --count 200000 --out /tmp/webhooks.txt
"""
import argparse, base64, hashlib, hmac, json, secrets, time

TEXTS = [
    "児童扶養手当はいくらですか", "小平市の窓口の電話番号", "今あいてる？", "こんにちは",
    "年収200万で子ども2人だといくら？", "ひとり親の医療費の助成はありますか", "国立市です",
    "ｼﾞﾄﾞｳﾌﾖｳﾃｱﾃ いくら", "メニュー", "ありがとう", "住宅の助成はある？", "貸付について知りたい",
]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secret", required=True)
    ap.add_argument("--count", type=int, default=200000)
    ap.add_argument("--users", type=int, default=5000)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    now = int(time.time() * 1000)
    key = a.secret.encode()
    with open(a.out, "w", encoding="utf-8") as out:
        for i in range(a.count):
            event = {
                "type": "message", "mode": "active", "timestamp": now,
                "source": {"type": "user", "userId": "U%032x" % (i % a.users)},
                "webhookEventId": "01LOAD%020d" % i,
                "deliveryContext": {"isRedelivery": False},
                "replyToken": secrets.token_hex(16),
                "message": {"type": "text", "id": str(100000000 + i), "quoteToken": "q%d" % i,
                            "text": TEXTS[i % len(TEXTS)]},
            }
            body = json.dumps({"destination": "U%032x" % 0, "events": [event]},
                              ensure_ascii=False, separators=(",", ":"))
            sig = base64.b64encode(hmac.new(key, body.encode(), hashlib.sha256).digest()).decode()
            out.write(sig + "\t" + body + "\n")

if __name__ == "__main__":
    main()
