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

-- runs f; nil on success, else the message luaExtractErrorInformation would extract
helpers.protect = function(f)
  local ok, e = lua_pcall(f)
  if ok then return nil end
  if type(e) == 'table' then return tostring(rawget(e, 'err')) end
  return 'ERR ' .. tostring(e)
end

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
local metas = setmetatable({}, {__mode = 'k'})
local readonly = helpers.readonly
local function lock(t)
  local meta = {__index = t, __newindex = readonly}
  local proxy = {}
  metas[proxy] = meta
  -- getmetatable(proxy) shows the metatable read-only, its __index as the read-only view itself
  meta.__metatable = setmetatable({}, {__newindex = readonly, __index = function(_, k)
    if k == '__index' then return proxy end
    return rawget(meta, k)
  end})
  proxies[meta.__metatable] = true
  setmetatable(proxy, meta)
  proxies[proxy] = true
  return proxy
end

helpers.isProtected = function(t) return proxies[t] == true end
real.setmetatable = helpers.setmetatable
real.rawset = helpers.rawset

for _, name in ipairs({'string', 'table', 'math', 'coroutine', 'redis', 'cjson', 'bit', 'struct', 'cmsgpack'}) do
  if rawget(real, name) ~= nil then
    rawset(real, name, lock(rawget(real, name)))
  end
end

-- The strings' shared metatable, read-only as Redis 7.0.15 makes it: getmetatable('') shows a
-- read-only view whose __index is the read-only string table; the real metatable keeps the real
-- string table so that method calls ('x'):upper() still work.
local strmeta = dbg.getmetatable('')
if strmeta then
  local view = setmetatable({}, {__newindex = readonly, __index = function(_, k)
    if k == '__index' then return rawget(real, 'string') end
    if k == '__metatable' then return nil end
    return rawget(strmeta, k)
  end})
  proxies[view] = true
  strmeta.__metatable = view
end

-- The globals scripts see: a read-only proxy over a snapshot of the globals (they never change
-- after start-up), whose misses raise. The thread's own global table stays plain: luajava keeps
-- its bookkeeping there (a metamethod there would call back into Java from inside Java calls).
local lib = {}
for k, v in pairs(real) do lib[k] = v end
setmetatable(lib, {__index = helpers.missing})
local env = lock(lib)
rawset(lib, '_G', env)
local loadstring, setfenv = loadstring, setfenv
local byte = string.byte
rawset(lib, 'loadstring', function(s, ...)
  -- Redis's Lua reads only source text: a precompiled chunk fails to parse
  if type(s) == 'string' and byte(s, 1) == 27 then s = ' ' .. s end
  local f, e = loadstring(s, ...)
  if f then setfenv(f, env) end
  return f, e
end)
-- The globals through which a script reaches Lua code it did not compile itself (see BoundedChunk):
-- the Lua-written ones (pcall, loadstring ...), tables holding such, and the ways to the globals
-- table, to compilers and to coroutines. Comma-separated.
helpers.luaCode = function()
  local names = {'loadstring', 'load', 'getfenv', 'setfenv', 'getmetatable', 'coroutine', 'debug', '_G', 'newproxy'}
  local function isLua(v) return type(v) == 'function' and dbg.getinfo(v, 'S').what ~= 'C' end
  for k, v in pairs(lib) do
    local t = type(v) == 'table' and metas[v] and metas[v].__index or v
    local bad = isLua(v)
    if type(t) == 'table' then
      for _, x in pairs(t) do bad = bad or isLua(x) end
    end
    if bad then names[#names + 1] = k end
  end
  return table.concat(names, ',')
end
-- gives a compiled script the sandboxed globals
helpers.bind = function(f) setfenv(f, env) return f end

-- FUNCTION LOAD runs a library with only the load API visible (redis.register_function, log,
-- LOG_*, REDIS_VERSION*), as Redis's luaEngineCreate does; its functions then see the globals.
if helpers.register_function then
  local api = {register_function = helpers.register_function, log = real.redis.log,
    LOG_DEBUG = real.redis.LOG_DEBUG, LOG_VERBOSE = real.redis.LOG_VERBOSE,
    LOG_NOTICE = real.redis.LOG_NOTICE, LOG_WARNING = real.redis.LOG_WARNING,
    REDIS_VERSION = real.redis.REDIS_VERSION, REDIS_VERSION_NUM = real.redis.REDIS_VERSION_NUM}
  setmetatable(api, {__index = helpers.missing})
  local loadLib = setmetatable({redis = lock(api)}, {__index = helpers.missing})
  local envMeta = metas[env]
  helpers.loading = function(on) envMeta.__index = on and loadLib or lib end
end
return env, lib
