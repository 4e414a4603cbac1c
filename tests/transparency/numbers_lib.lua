-- the standard library meeting exact numbers: math.*, string.format %f/%g,
-- tonumber; .deal hands exact values to them as numbers
print(math.floor(-3.5), math.ceil(-3.5), math.abs(-7), math.max(3, 9, 1), math.min(3, 9, 1))
print(math.tointeger(3.0), math.tointeger(3.5), math.fmod(7, 3), math.fmod(-7, 3))
print(tonumber("0x10"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36), tonumber("abc"))
print(string.format("%.3f %.3f", 0.1 + 0.2, 1 / 3))
print(string.format("%5.2f|%-5d|%05d|%x|%X|%o|%e|%g", 3.14159, 42, 42, 255, 255, 8, 12345.678, 0.0001))
print(string.format("%d items, %s left", 6 / 2, 7 / 2))
print(math.sqrt(16), math.sqrt(2) > 1.414, math.pi > 3.14159)
local t = {}
t[6 / 2] = "three"
print(t[3], #t, ({"a", "b", "c"})[4 / 2])
print(string.rep("ab", 6 / 2), ("abcdef"):sub(4 / 2, 9 // 2))
