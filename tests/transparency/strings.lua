--[==[ a long comment
that spans ]] several
lines ]==]
local long = [[
first line
second line]]
print(long, #long)
local nested = [==[contains ]] and [[ inside]==]
print(nested)
print(("x"):rep(3, "-"), ("Hello"):upper(), ("Hello"):lower(), ("abc"):reverse())
print(("hello world"):find("o w"), ("hello"):find("l+"), ("hello"):match("(h)(e)"))
print(string.gsub("hello world", "o", "0"))
print(string.gsub("abc", "%w", "%0%0"))
print(string.gsub("$name is $age", "%$(%w+)", {name = "Ann", age = 7}))
print(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
for w in ("one two  three"):gmatch("%a+") do io.write(w, ";") end
print()
print(("%d items at %s"):format(3, "noon"), ("%5s|%-5s|"):format("ab", "cd"))
print(string.byte("A"), string.char(72, 105), ("abc"):sub(-2), ("abc"):sub(2, 2))
print(#"\u{48}\65\x41\z
       end", "tab\tq\"uote\\")
print(tostring(nil) .. tostring(true) .. 1 .. 2.5)
print(("a,b,,c"):gsub(",", ";", 2))
print(string.format("%-8s%8.3f", "pi", math.pi))
print(("CamelCaseString"):gsub("(%u)", " %1"))
print(table.concat({"a", "b", "c"}, ", ", 2, 3))
local t = {}
for i = 1, 5 do t[#t + 1] = string.format("%02d", i * 7) end
print(table.concat(t, " "))
table.sort(t, function(x, y) return x > y end)
print(table.concat(t, " "))
print(utf8 and utf8.char(72, 228, 8364) or "no utf8", utf8 and utf8.len("äö") or 0)
