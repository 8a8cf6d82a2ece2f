-- Runs once when the interpreter starts, with the real global table, before any user script.
-- Arguments: the table of Java helpers. Returns the locked environment scripts run in.
-- It mirrors Redis 7.0's scriptingInit: pcall that unwraps {err=...}, the error handler that adds
-- source and line, debug removed, every library table read-only, reading an unknown global an error.
local helpers = ...
local real = _G
local dbg = debug
local rawget, rawset, setmetatable, getmetatable, error, type, select, unpack =
      rawget, rawset, setmetatable, getmetatable, error, type, select, unpack

-- pcall as Redis's luaRedisPcall: an error table's err field becomes the message
local lua_pcall = pcall
local function unwrap(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'table' and type(rawget(e, 'err')) == 'string' then e = rawget(e, 'err') end
  return false, e
end
real.pcall = function(...) return unwrap(lua_pcall(...)) end

function real.__redis__err__handler(err)
  local i = dbg.getinfo(2,'nSl')
  if i and i.what == 'C' then
    i = dbg.getinfo(3,'nSl')
  end
  if type(err) ~= 'table' then
    err = {err='ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

real.debug = nil
real.dofile = nil
real.loadfile = nil
real.print = nil
real.java = nil
real.module = nil
real.require = nil
real.package = nil

-- "file:line: " of the Lua function that triggered a metamethod (level 3 seen from here:
-- this function, the Java metamethod, the caller), as luaG_runerror would prefix it.
helpers.sethook = dbg.sethook
helpers.where = function()
  local i = dbg.getinfo(3, 'Sl')
  if i and i.currentline and i.currentline > 0 then
    return i.short_src .. ':' .. i.currentline .. ': '
  end
  return ''
end

-- read-only proxies: reads go to the real table, writes raise
local proxies = setmetatable({}, {__mode = 'k'})
local readonly = helpers.readonly
local function lock(t)
  local meta = {__index = t, __newindex = readonly}
  local proxy = {}
  meta.__metatable = setmetatable({}, {__index = meta, __newindex = readonly})
  proxies[meta.__metatable] = true
  setmetatable(proxy, meta)
  proxies[proxy] = true
  return proxy
end

real.setmetatable = function(t, m)
  if proxies[t] then readonly() end
  return setmetatable(t, m)
end
real.rawset = function(t, k, v)
  if proxies[t] then readonly() end
  return rawset(t, k, v)
end

for _, name in ipairs({'string', 'table', 'math', 'coroutine', 'redis', 'cjson', 'bit', 'struct', 'cmsgpack'}) do
  if rawget(real, name) ~= nil then
    rawset(real, name, lock(rawget(real, name)))
  end
end

-- the globals: an empty proxy over the real table, whose misses raise
setmetatable(real, {__index = helpers.missing})
local env = lock(real)
rawset(real, '_G', env)
-- luajava keeps a pending Java exception in this global; an own field needs no metamethod
rawset(env, helpers.throwable, false)
return env, real
