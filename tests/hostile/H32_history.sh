# H32: the history file (unwritable, disk full, corrupt): REPL code (vm/repl.c),
# tested by tests/repl; models cannot touch it (the sandbox has no writes).
ID=H32
echo "ok - H32 history file faults # SKIP the history file is the REPL's (vm/repl.c, tests/repl); a model cannot write files at all (B05, H34)"
