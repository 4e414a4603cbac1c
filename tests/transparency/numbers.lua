-- integers and floats: where plain Lua and exact .deal arithmetic meet
print(string.format("%d %d", math.maxinteger, math.mininteger))
print(math.type(1), math.type(1.0), math.type(2^53))
print(7 // 2, -7 // 2, 7 // -2, -7 // -2)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3)
print(string.format("%d %d %d", 17 // 5, 17 % 5, -17 % 5))
print(7 / 2, 10 / 2, 1 / 3)
print(2 ^ 10, 2 ^ 0.5 > 1.41, 10 ^ -2)
-- float division by zero: inf in Lua; in .deal 0.0 is the exact 0, an error
print(pcall(function() return 3 // 0.0, -3 // 0.0 end))
print(3 % math.huge, -3 % math.huge)
print((pcall(function() return 3 // 0 end)))
print(math.maxinteger + 1 == math.mininteger)
print(math.maxinteger * 2)
print(0.1 + 0.2 == 0.3, 0.5 + 0.25 == 0.75)
print(1e3, 1.5e2 * 2, 100 * 1.5)
print(string.format("%q", "line\nnext\0end"))
print(tostring(10 // 3), tostring(10.0 // 3))
print(8 // 3 * 3 + 8 % 3 == 8, -8 // 3 * 3 + -8 % 3 == -8)
print(1 < 2, 2 <= 2, 3 > 4, "a" < "b", "abc" < "abd", 1 == 1.0)
print(5 & 3, 5 | 3, 5 ~ 3, ~5, 1 << 4, 256 >> 4, -1 >> 60)
print(#"hello" + 1, -(-3), - -3, -2 ^ 2, (-2) ^ 2)

-- integer for loops, float steps, negative steps, zero-trip loops
local acc = {}
for i = 1, 3 do acc[#acc + 1] = i end
for i = 10, 1, -4 do acc[#acc + 1] = i end
for i = 1, 0 do acc[#acc + 1] = "never" end
print(table.concat(acc, " "))
local fs = {}
for x = 0, 1, 0.25 do fs[#fs + 1] = string.format("%.2f", x) end
print(table.concat(fs, " "))
for x = 1.0, 2 do io.write(tostring(x), " ") end
print()
local sum = 0
for i = 1, 100 do sum = sum + i end
print(sum, sum / 100, sum // 100)
