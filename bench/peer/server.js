// Peer for bench/compare.sh: an equivalent keyword bot on LINE's official
// Node.js SDK (@line/bot-sdk 11 + express). The SDK middleware verifies the
// signature; the handler acknowledges at once (like yorisoi) and replies via
// MessagingApiClient with baseURL pointed at the same fake Messaging API.
//   PORT=8090 LINE_CHANNEL_SECRET=… LINE_API_BASE=http://127.0.0.1:9099 node server.js
'use strict';
const express = require('express');
const line = require('@line/bot-sdk');

const secret = process.env.LINE_CHANNEL_SECRET || 'bench_secret';
const client = new line.messagingApi.MessagingApiClient({
  channelAccessToken: process.env.LINE_CHANNEL_ACCESS_TOKEN || 'bench_token',
  baseURL: process.env.LINE_API_BASE || 'http://127.0.0.1:9099',
});

const menu = {
  items: ['制度を調べる', '手当の計算', '窓口・相談先', '困ったとき'].map((t) => ({
    type: 'action', action: { type: 'message', label: t, text: t },
  })),
};
const answers = [
  [/児童扶養手当|ｼﾞﾄﾞｳﾌﾖｳﾃｱﾃ/, '児童扶養手当は、ひとり親家庭などの子どもの生活の安定のための手当です。'],
  [/窓口|電話/, 'お住まいの市の子育て支援課にご相談ください。'],
  [/あいてる|今/, '窓口は平日8:30〜17:15です。'],
  [/いくら|年収/, '年収と子どもの人数を教えてください。'],
  [/医療/, 'ひとり親家庭等医療費助成があります。'],
  [/こんにちは|メニュー/, 'こんにちは。知りたいことを選んでください。'],
];

function answer(text) {
  for (const [re, reply] of answers) if (re.test(text)) return reply;
  return 'すみません、よくわかりませんでした。メニューから選んでください。';
}

async function handle(event) {
  if (event.type !== 'message' || event.message.type !== 'text') return;
  await client.replyMessage({
    replyToken: event.replyToken,
    messages: [{ type: 'text', text: answer(event.message.text), quickReply: menu }],
  });
}

const app = express();
app.post('/callback', line.middleware({ channelSecret: secret }), (req, res) => {
  res.sendStatus(200);
  for (const e of req.body.events) handle(e).catch((err) => console.error(err.message));
});
app.use((err, req, res, next) => {
  if (err instanceof line.SignatureValidationFailed) return res.status(401).end();
  if (err instanceof line.JSONParseError) return res.status(400).end();
  return next(err);
});
app.listen(Number(process.env.PORT || 8090), '127.0.0.1');
