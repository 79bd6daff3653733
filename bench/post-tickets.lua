-- POST /tickets with a bearer token, one ticket per request. Set by bench/api.sh:
-- wrk ... -s bench/post-tickets.lua <url> -- <token> <eventId>
local token, event
function init(args)
  token = args[1]
  event = args[2]
end
function request()
  return wrk.format("POST", "/tickets", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, '{"eventId":"' .. event .. '","quantity":1}')
end
