-- POST /telegram/webhook with the secret header (BENCH_TELEGRAM_SECRET) and a distinct update id per request.
-- BENCH_TG_TEXT is the message text (/whoami: a command, recorded in processed_updates; hello: not a command).
-- Chats cycle over BENCH_TG_CHATS chats from -1001000 down, the ones the chat-sims mode knows.
local next_thread = 1
function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  base = tonumber(os.getenv("BENCH_TG_BASE") or "1000000") + tid * 10000000
  if os.getenv("BENCH_TG_WARMUP") then base = base + 5000000 end
  chats = tonumber(os.getenv("BENCH_TG_CHATS") or "64")
  text = os.getenv("BENCH_TG_TEXT") or "/whoami"
  n = 0
  headers = {
    ["Content-Type"] = "application/json",
    ["X-Telegram-Bot-Api-Secret-Token"] = os.getenv("BENCH_TELEGRAM_SECRET"),
  }
  entities = ""
  if text:sub(1, 1) == "/" then
    entities = string.format(',"entities":[{"type":"bot_command","offset":0,"length":%d}]', #text)
  end
end

function request()
  n = n + 1
  local id = base + n
  local chat = -1001000 - (id % chats)
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"date":1764600000,"chat":{"id":%d,"type":"supergroup","title":"bench"},'
      .. '"from":{"id":111,"is_bot":false,"first_name":"Bench"},"text":"%s"%s}}',
    id, id, chat, text, entities)
  return wrk.format("POST", "/telegram/webhook", headers, body)
end
