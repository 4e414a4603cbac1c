;;; deal-mode.el --- major mode for Dealscript (.deal) files  -*- lexical-binding: t -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "24.3") (lua-mode "20210802"))
;; Keywords: languages, lua
;; URL: https://example.invalid/dealscript

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Dealscript scripts (`.deal') are Lua 5.4 plus literal forms for
;; AI-infrastructure deals:
;;
;;   numbers  1_000_000  500k 1.2M 21B 3T  5% 25bp   (`5 % 3', `5%x' are modulo)
;;   units    1.2 GW  8760 h  4.6 PFLOP/s  64 chip/rack  3 m^2  2 kW*h
;;   money    $21B  $0.06/kWh  $184/kW/month  EUR 3M  GBP 40k
;;   ranges   20k to 40k  $15k to $25k  100 kW to 130 kW
;;
;; `deal-mode' derives from `lua-mode' when it is installed (Debian:
;; elpa-lua-mode), and otherwise from `prog-mode' with Lua's comment,
;; string and long-bracket syntax and keywords.  It adds font-lock for
;; the forms above, the preloaded modules and analysis functions, a
;; `compile' entry for `deal check' errors, and `run-deal', a comint
;; buffer running the `deal' REPL.
;;
;; Install:
;;   (add-to-list 'load-path "/path/to/editors/emacs")
;;   (require 'deal-mode)

;;; Code:

(require 'comint)
(require 'subr-x)
(require 'compile)
(require 'lua-mode nil t)
(declare-function lua-mode "lua-mode" ())

(defgroup deal nil
  "Major mode for Dealscript files."
  :prefix "deal-"
  :group 'languages)

(defcustom deal-program "deal"
  "Program used by `run-deal' and `deal-check'."
  :type 'string
  :group 'deal)

(defcustom deal-program-args '("-i")
  "Arguments passed to `deal-program' by `run-deal'."
  :type '(repeat string)
  :group 'deal)

(defface deal-number-face '((t :inherit font-lock-constant-face))
  "Face for numbers, scaled numbers (500k) and percentages (5%, 25bp)."
  :group 'deal)

(defface deal-unit-face '((t :inherit font-lock-type-face))
  "Face for the unit after a number (1.2 GW)."
  :group 'deal)

(defface deal-money-face '((t :inherit font-lock-constant-face :weight bold))
  "Face for money ($21B, $0.06/kWh, the amount in EUR 3M)."
  :group 'deal)

(defface deal-currency-face '((t :inherit font-lock-type-face))
  "Face for currency codes before an amount (EUR 3M)."
  :group 'deal)

(defface deal-range-face '((t :inherit font-lock-keyword-face))
  "Face for the range operator `to' (20k to 40k)."
  :group 'deal)

(defface deal-builtin-face '((t :inherit font-lock-builtin-face))
  "Face for the preloaded modules and analysis functions."
  :group 'deal)

(defface deal-claim-face '((t :inherit font-lock-warning-face))
  "Face for `claim'."
  :group 'deal)

;;;; Literal patterns (kept in step with editors/vim and editors/vscode)

(defconst deal--dec
  (concat "\\(?:[0-9][0-9_]*\\(?:\\.[0-9_]*\\)?\\|\\.[0-9][0-9_]*\\)"
          "\\(?:[eE][-+]?[0-9][0-9_]*\\)?")
  "A decimal number with optional `_' separators and exponent.")

(defconst deal--scale "[kMBT]" "Scale suffixes: 10^3, 10^6, 10^9, 10^12.")

(defconst deal--factor "[A-Za-z_][A-Za-z0-9_]*\\(?:\\^-?[0-9]+\\)?")

(defconst deal--unit
  (concat deal--factor "\\(?:[/*]" deal--factor "\\)*")
  "A unit expression: ident ((/|*) ident)*, each with an optional ^N.")

(defconst deal--lua-keywords
  '("and" "break" "do" "else" "elseif" "end" "false" "for" "function" "goto"
    "if" "in" "local" "nil" "not" "or" "repeat" "return" "then" "true"
    "until" "while"))

(defconst deal--currencies
  '("USD" "EUR" "GBP" "JPY" "CNY"))

(defconst deal--builtins
  '("chips" "racks" "sites" "contracts" "finance" "deal" "units" "num"
    "P" "mean" "median" "quantile" "ci" "sd" "hist" "sensitivity" "where"
    "normal" "lognormal" "uniform" "triangular" "pert" "beta" "gamma"
    "chance" "discrete" "mixture" "samples" "correlate")
  "Preloaded modules and analysis functions (`claim' has its own face).")

(defconst deal--lua-builtins
  '("assert" "collectgarbage" "dofile" "error" "getmetatable" "ipairs" "load"
    "loadfile" "next" "pairs" "pcall" "print" "rawequal" "rawget" "rawlen"
    "rawset" "require" "select" "setmetatable" "tonumber" "tostring" "type"
    "warn" "xpcall" "_G" "_VERSION" "_ENV" "coroutine" "debug" "io" "math"
    "os" "package" "string" "table" "utf8"))

(defun deal--char-before-p (pos class)
  "Non-nil if the character before POS matches the regexp CLASS."
  (and (> pos (point-min))
       (string-match-p class (string (char-before pos)))))

(defun deal--char-at-p (pos class)
  "Non-nil if the character at POS matches the regexp CLASS."
  (and (< pos (point-max))
       (string-match-p class (string (char-after pos)))))

(defun deal--number-start-p (pos)
  "Non-nil if a number may start at POS (not inside a name or after `$')."
  (not (deal--char-before-p pos "[[:alnum:]_.$]")))

(defun deal--end-p (pos)
  "Non-nil if a literal may end at POS (no name character follows)."
  (not (deal--char-at-p pos "[[:alnum:]_]")))

(defun deal--unit-ok-p (group)
  "Non-nil if match GROUP is a unit, not a keyword or `to'."
  (let ((first (save-match-data
                 (let ((u (match-string-no-properties group)))
                   (string-match "\\`[A-Za-z_][A-Za-z0-9_]*" u)
                   (match-string 0 u)))))
    (not (member first (cons "to" deal--lua-keywords)))))

(defun deal--operand-follows-p (pos)
  "Non-nil if an operand starts at POS, making a `%' before it modulo.
So `5 % 3', `5%3' and `5% x' are modulo, while `5%', `5% + 1' and
`5% to 8%' are percentages."
  (save-excursion
    (goto-char pos)
    (or (looking-at "-[^-]")
        (progn
          (skip-chars-forward " \t")
          (cond ((looking-at (concat (regexp-opt '("and" "break" "do" "else" "elseif" "end"
                                                   "for" "goto" "if" "in" "local" "or"
                                                   "repeat" "return" "then" "until"
                                                   "while" "to")
                                                 'symbols)))
                 nil)
                (t (looking-at "[[:alpha:]_0-9\"'({#$]\\|\\.[0-9]\\|\\.\\.\\.\\|~[^=]\\|\\[[[=]")))))))

(defun deal--search (regexp limit pred)
  "Find REGEXP before LIMIT, outside strings and comments, where PRED holds.
PRED is called with the match data set and must not move point."
  (let (found)
    (while (and (not found) (re-search-forward regexp limit t))
      (let ((beg (match-beginning 0)))
        (if (and (not (nth 8 (save-excursion (save-match-data (syntax-ppss beg)))))
                 (save-excursion (save-match-data (funcall pred))))
            (setq found t)
          (goto-char (1+ beg)))))
    found))

(defmacro deal--matcher (regexp &rest pred)
  "A font-lock matcher for REGEXP whose matches must satisfy PRED."
  (declare (indent 1))
  `(lambda (limit) (deal--search ,regexp limit (lambda () ,@pred))))

(defconst deal--range-prev-keywords
  (concat "\\_<" (regexp-opt '("local" "function" "return" "if" "elseif" "while"
                              "until" "not" "and" "or" "in" "for" "goto" "then"
                              "do" "else" "repeat"))
          "[ \t]+\\'"))

(defun deal--range-p ()
  "Non-nil if the `to' just matched is the range operator.
It must follow a value (a name, number, unit, `)' or `]', not a keyword,
and not `.' or `:') and precede one."
  (let* ((beg (match-beginning 0))
         (end (match-end 0))
         (before (buffer-substring-no-properties (line-beginning-position) beg)))
    (and (string-match-p "[])%[:alnum:]_][ \t]+\\'" before)
         (not (string-match-p deal--range-prev-keywords before))
         (progn (goto-char end)
                (looking-at "[ \t]+\\(?:[$([:alnum:]_]\\|\\.[0-9]\\|-[0-9$.(]\\)"))
         (not (looking-at (concat "[ \t]+" (regexp-opt '("and" "or" "then" "do" "end" "else"
                                                         "elseif" "until" "in")
                                                       'symbols)))))))

(defconst deal-font-lock-keywords
  `(;; money: $21B, $0.06/kWh, $184/kW/month
    (,(deal--matcher (concat "\\$" deal--dec deal--scale "?\\(?:[/*]" deal--unit "\\)?")
        (deal--end-p (match-end 0)))
     (0 'deal-money-face))
    ;; currency code before an amount: EUR 3M
    (,(deal--matcher (concat "\\_<\\(" (regexp-opt deal--currencies) "\\)[ \t]+\\("
                             deal--dec deal--scale "?\\(?:[/*]" deal--unit "\\)?\\)")
        (deal--end-p (match-end 0)))
     (1 'deal-currency-face) (2 'deal-money-face))
    ;; a number (maybe scaled) followed by a unit: 1.2 GW, 300k chip
    (,(deal--matcher (concat "\\(" deal--dec deal--scale "?\\)[ \t]+\\(" deal--unit "\\)")
        (and (deal--number-start-p (match-beginning 0))
             (deal--end-p (match-end 0))
             (deal--unit-ok-p 2)))
     (1 'deal-number-face) (2 'deal-unit-face))
    ;; percent and basis points: 5%, 25bp (but `5 % 3' and `5%x' are modulo)
    (,(deal--matcher (concat deal--dec "\\(%\\|bp\\)")
        (and (deal--number-start-p (match-beginning 0))
             (if (equal (match-string 1) "%")
                 (not (deal--operand-follows-p (match-end 0)))
               (deal--end-p (match-end 0)))))
     (0 'deal-number-face))
    ;; numbers: 42, 1_000_000, 1.5e9, 0xFF, 500k, 1.2M
    (,(deal--matcher (concat "\\(?:0[xX][0-9a-fA-F_]*\\(?:\\.[0-9a-fA-F_]*\\)?"
                             "\\(?:[pP][-+]?[0-9]+\\)?\\|" deal--dec deal--scale "?\\)")
        (and (deal--number-start-p (match-beginning 0))
             (deal--end-p (match-end 0))))
     (0 'deal-number-face))
    ;; the range operator: 20k to 40k
    (,(deal--matcher "\\_<to\\_>" (deal--range-p))
     (0 'deal-range-face))
    (,(deal--matcher "\\_<claim\\_>" (not (deal--char-before-p (match-beginning 0) "[.:]")))
     (0 'deal-claim-face))
    (,(deal--matcher (regexp-opt deal--builtins 'symbols)
        (not (deal--char-before-p (match-beginning 0) "[.:]")))
     (0 'deal-builtin-face)))
  "Font-lock keywords `deal-mode' adds to Lua's.")

;;;; Fallback Lua base when lua-mode is not installed

(defvar deal-lua-base-mode-syntax-table
  (let ((st (make-syntax-table)))
    (modify-syntax-entry ?- ". 12" st)
    (modify-syntax-entry ?\n ">" st)
    (modify-syntax-entry ?\' "\"" st)
    (modify-syntax-entry ?\" "\"" st)
    (modify-syntax-entry ?\\ "\\" st)
    (modify-syntax-entry ?_ "_" st)
    (dolist (c '(?+ ?* ?/ ?^ ?% ?> ?< ?= ?~ ?# ?& ?| ?$))
      (modify-syntax-entry c "." st))
    st)
  "Syntax table of `deal-lua-base-mode': Lua's comments and strings.")

(defconst deal--lua-base-font-lock-keywords
  `((,(regexp-opt '("nil" "true" "false") 'symbols) . font-lock-constant-face)
    (,(regexp-opt (delete "nil" (delete "true" (delete "false" (copy-sequence deal--lua-keywords))))
                  'symbols)
     . font-lock-keyword-face)
    (,(concat "\\(?:^\\|[^.:]\\)" (regexp-opt deal--lua-builtins 'symbols))
     (1 font-lock-builtin-face))
    ("\\_<function[ \t]+\\([A-Za-z_][A-Za-z0-9_.:]*\\)" (1 font-lock-function-name-face)))
  "Lua keywords, constants and library names for `deal-lua-base-mode'.")

(defun deal--long-bracket-close (level limit)
  "Move past the `]=*]' closing a long bracket of LEVEL `=' signs before LIMIT.
Return the position of its last `]', or nil."
  (when (search-forward (concat "]" (make-string level ?=) "]") limit t)
    (1- (point))))

(defun deal--propertize-long-brackets (start end)
  "Mark Lua long comments and strings between START and END.
`--[==[ ... ]==]' becomes a generic comment and `[==[ ... ]==]' a
generic string, so they may span lines and contain quotes."
  (goto-char start)
  ;; Finish a long bracket that began before START.
  (let ((ppss (syntax-ppss start)))
    (when (and (nth 8 ppss)
               (save-excursion (goto-char (nth 8 ppss))
                               (looking-at "\\(?:--\\)?\\[\\(=*\\)\\[")))
      (let* ((level (length (save-excursion (goto-char (nth 8 ppss))
                                            (looking-at "\\(?:--\\)?\\[\\(=*\\)\\[")
                                            (match-string 1))))
             (close (deal--long-bracket-close level end)))
        (when close
          (put-text-property close (1+ close) 'syntax-table
                             (string-to-syntax
                              (if (eq (char-after (nth 8 ppss)) ?-) "!" "|")))))))
  (while (and (< (point) end) (re-search-forward "\\(--\\)?\\[\\(=*\\)\\[" end t))
    (let* ((beg (match-beginning 0))
           (comment (match-beginning 1))
           (level (length (match-string 2)))
           (ppss (save-excursion (syntax-ppss beg))))
      (unless (nth 8 ppss)
        (put-text-property beg (1+ beg) 'syntax-table
                           (string-to-syntax (if comment "!" "|")))
        (let ((close (deal--long-bracket-close level (point-max))))
          (when close
            (put-text-property close (1+ close) 'syntax-table
                               (string-to-syntax (if comment "!" "|")))))))))

(define-derived-mode deal-lua-base-mode prog-mode "Lua"
  "Minimal Lua 5.4 editing, used as `deal-mode's parent without lua-mode."
  :syntax-table deal-lua-base-mode-syntax-table
  :group 'deal
  (setq-local font-lock-defaults '(deal--lua-base-font-lock-keywords))
  (setq-local syntax-propertize-function #'deal--propertize-long-brackets)
  (setq-local parse-sexp-lookup-properties t)
  (setq-local comment-start "-- ")
  (setq-local comment-start-skip "---*[ \t]*")
  (setq-local comment-use-syntax t))

;;;; Indentation (the rules of editors/vim/indent/deal.vim)

(defcustom deal-indent-offset 2
  "Indentation of a block, or of a bracket that ends its line."
  :type 'integer
  :safe #'integerp
  :group 'deal)

(defcustom deal-indent-align-limit 80
  "Widest line that lines up with the text after an open bracket.
A line inside `f(a,' or `x { a = 1,' starts at the column of `a' when
it then ends within this many columns; otherwise it is indented by
`deal-indent-offset' past the line of the bracket."
  :type 'integer
  :safe #'integerp
  :group 'deal)

(defconst deal--indent-token-re
  (concat "[][(){}]\\|\\_<"
          (regexp-opt '("function" "do" "then" "repeat" "end" "until" "else" "elseif") t)
          "\\_>")
  "Brackets and the keywords that open and close Lua blocks.")

(defconst deal--openers '("(" "{" "[" "function" "do" "then" "repeat"))
(defconst deal--closers '(")" "}" "]" "end" "until" "elseif"))

(defconst deal--closer-first-re
  "[ \t]*\\(?:[])}]\\|\\_<\\(?:end\\|until\\|else\\|elseif\\)\\_>\\)"
  "A line that starts by closing something.")

(defconst deal--op-end-re
  "\\(?:[-+*/^&|<>=~]\\|\\.\\.\\|\\_<\\(?:and\\|or\\)\\|[^0-9]%\\)"
  "A binary operator that ends a line and continues it (5% is a number).")

(defconst deal--op-start-re
  "[ \t]*\\(?:\\_<\\(?:and\\|or\\)\\_>\\|\\.\\.\\(?:[^.]\\|$\\)\\|[*/%^&|<>=~+]\\)"
  "A binary operator that starts a line and continues the one before.")

(defun deal--in-text-p (pos)
  "Non-nil if POS is inside a string or comment."
  (save-excursion (save-match-data (nth 8 (syntax-ppss pos)))))

(defun deal--code-p (pos)
  "Non-nil if the character at POS is code: not in a string or comment,
and not the first character of one (the `[' of `[[')."
  (not (or (deal--in-text-p pos)
           (eql (deal--in-text-p (1+ pos)) pos))))

(defun deal--continues-p (bol)
  "Non-nil if the line at BOL starts inside a string or comment begun earlier."
  (deal--in-text-p bol))

(defun deal--code-line-p (bol)
  "Non-nil if the line at BOL holds code (not blank, not only a comment)."
  (save-excursion
    (goto-char bol)
    (skip-chars-forward " \t")
    (not (or (eolp)
             (deal--continues-p bol)
             (looking-at "--")
             (and (= bol (point-min)) (looking-at "#"))))))

(defun deal--prev-code-line (bol)
  "Beginning of the nearest code line before the line at BOL, or nil."
  (save-excursion
    (goto-char bol)
    (let (found)
      (while (and (not found) (= (forward-line -1) 0))
        (when (deal--code-line-p (point))
          (setq found (point))))
      found)))

(defun deal--indentation (pos)
  "Indentation of the line holding POS."
  (save-excursion (goto-char pos) (current-indentation)))

(defun deal--tokens (bol &optional upto)
  "Code tokens of the line at BOL before UPTO: a list of (POS . TEXT)."
  (save-excursion
    (goto-char bol)
    (let ((end (or upto (line-end-position))) toks)
      (while (re-search-forward deal--indent-token-re end t)
        (let ((pos (match-beginning 0)) (tok (match-string-no-properties 0)))
          (when (deal--code-p pos)
            (push (cons pos tok) toks))))
      (nreverse toks))))

(defun deal--scan (bol &optional upto)
  "What the line at BOL leaves open, reading its tokens before UPTO.
Returns (STACK . CLOSERS): the openers left open, innermost first, and
the tokens that close something opened on an earlier line, last first.
`else' closes, then opens."
  (let (stack closers)
    (dolist (tok (deal--tokens bol upto))
      (when (or (member (cdr tok) deal--closers) (equal (cdr tok) "else"))
        (if stack (pop stack) (push tok closers)))
      (when (or (member (cdr tok) deal--openers) (equal (cdr tok) "else"))
        (push tok stack)))
    (cons stack closers)))

(defun deal--opener (pos)
  "Position of the opener matching the closer at POS, or nil."
  (save-excursion
    (goto-char pos)
    (let ((depth 0) found)
      (while (and (not found) (re-search-backward deal--indent-token-re nil t))
        (let ((p (match-beginning 0)) (tok (match-string-no-properties 0)))
          (when (deal--code-p p)
            (cond ((equal tok "else") (when (= depth 0) (setq found p)))
                  ((member tok deal--closers) (setq depth (1+ depth)))
                  ((= depth 0) (setq found p))
                  (t (setq depth (1- depth)))))
          (goto-char p)))
      found)))

(defun deal--inside (opener width)
  "Indentation of a line WIDTH columns wide inside OPENER, a (POS . TEXT).
The column of the text after a bracket when the line fits there, else
`deal-indent-offset' past the line of the opener."
  (or (and (member (cdr opener) '("(" "{" "["))
           (save-excursion
             (goto-char (1+ (car opener)))
             (skip-chars-forward " \t")
             (and (not (eolp))
                  (not (looking-at "--"))
                  (<= (+ (current-column) width) deal-indent-align-limit)
                  (current-column))))
      (+ (deal--indentation (car opener)) deal-indent-offset)))

(defun deal--ends-with-operator-p (bol)
  "Non-nil if the line at BOL ends with a binary operator (before any comment)."
  (save-excursion
    (goto-char bol)
    (end-of-line)
    (let ((ppss (save-match-data (syntax-ppss))))
      (when (nth 4 ppss) (goto-char (nth 8 ppss))))
    (skip-chars-backward " \t")
    (and (> (point) bol)
         (not (deal--in-text-p (1- (point))))
         (looking-back deal--op-end-re bol))))

(defun deal--starts-with-operator-p (bol)
  "Non-nil if the line at BOL starts with a binary operator."
  (save-excursion (goto-char bol) (looking-at deal--op-start-re)))

(defun deal--statement-start (bol)
  "Beginning of the first line of the statement the line at BOL belongs to.
Continuation lines are followed back, not across a line that leaves a
bracket open."
  (let ((cur bol) done)
    (while (not done)
      (let ((q (deal--prev-code-line cur)))
        (if (and q
                 (or (deal--ends-with-operator-p q) (deal--starts-with-operator-p cur))
                 (equal (deal--scan q) '(nil)))
            (setq cur q)
          (setq done t))))
    cur))

(defun deal--after (bol upto width)
  "Indentation of a line WIDTH wide after the line at BOL, read up to UPTO.
Inside what that line leaves open; else after the statement that its
closers end."
  (let* ((st (deal--scan bol upto))
         (opener (and (cdr st) (deal--opener (car (cadr st))))))
    (cond ((car st) (deal--inside (caar st) width))
          (opener (deal--after (save-excursion (goto-char opener) (line-beginning-position))
                               opener width))
          (t (deal--indentation (deal--statement-start bol))))))

(defun deal-indent-calculate ()
  "The column the current line should start at, or nil to leave it.
Lines inside long strings and comments are left as they are."
  (save-excursion
    (let* ((bol (line-beginning-position))
           (width (string-width (string-trim (buffer-substring-no-properties
                                              bol (line-end-position))))))
      (unless (deal--continues-p bol)
        (goto-char bol)
        (let ((opener (and (looking-at deal--closer-first-re)
                           (deal--opener (progn (skip-chars-forward " \t") (point)))))
              (prev (deal--prev-code-line bol)))
          (cond (opener (deal--indentation opener))
                ((null prev) 0)
                ((car (deal--scan prev)) (deal--inside (car (car (deal--scan prev))) width))
                (t (+ (deal--after prev nil width)
                      (if (or (deal--ends-with-operator-p prev)
                              (deal--starts-with-operator-p bol))
                          deal-indent-offset
                        0)))))))))

(defun deal-indent-line ()
  "Indent the current line as a Dealscript model (see `deal-indent-calculate')."
  (interactive)
  (let ((col (deal-indent-calculate)))
    (cond ((null col) 'noindent)
          ((<= (current-column) (current-indentation)) (indent-line-to col))
          (t (save-excursion (indent-line-to col))))))

;;;; Shebang

(defun deal--propertize-shebang (start _end)
  "Make a `#!' first line a comment when START is within it."
  (save-excursion
    (goto-char (point-min))
    (when (and (looking-at "#!") (<= start (line-end-position)))
      (put-text-property (point) (1+ (point)) 'syntax-table (string-to-syntax "!"))
      (end-of-line)
      (unless (eobp)
        (put-text-property (point) (1+ (point)) 'syntax-table (string-to-syntax "!"))))))

(defun deal--wrap-propertize (parent)
  "A `syntax-propertize-function' running PARENT's, then the shebang rule."
  (lambda (start end)
    (when parent (funcall parent start end))
    (deal--propertize-shebang start end)))

;;;; The mode

(defvar deal-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "C-c C-z") #'run-deal)
    (define-key map (kbd "C-c C-r") #'deal-send-region)
    (define-key map (kbd "C-c C-b") #'deal-send-buffer)
    (define-key map (kbd "C-c C-c") #'deal-check)
    map)
  "Keymap for `deal-mode'.")

(defmacro deal--define-mode (parent)
  "Define `deal-mode' as a mode derived from PARENT."
  `(define-derived-mode deal-mode ,parent "Deal"
     "Major mode for Dealscript (.deal) files: Lua 5.4 plus units, money and ranges.

\\{deal-mode-map}"
     :group 'deal
     (font-lock-add-keywords nil deal-font-lock-keywords)
     (setq-local comment-start "-- ")
     (setq-local indent-line-function #'deal-indent-line)
     (setq-local indent-tabs-mode nil)
     (when (boundp 'lua-indent-level)
       (setq-local lua-indent-level deal-indent-offset))
     (setq-local electric-indent-chars (append '(?\) ?\] ?}) electric-indent-chars))
     (setq-local syntax-propertize-function
                 (deal--wrap-propertize syntax-propertize-function))
     (setq-local parse-sexp-lookup-properties t)
     (setq-local compile-command
                 (concat deal-program " check "
                         (if buffer-file-name
                             (shell-quote-argument
                              (file-name-nondirectory buffer-file-name))
                           "")))))

;;;###autoload (autoload 'deal-mode "deal-mode" "Major mode for Dealscript files." t)
(if (featurep 'lua-mode)
    (deal--define-mode lua-mode)
  (deal--define-mode deal-lua-base-mode))

;; lua-mode's abbrevs reindent `end', `else' and `elseif' with its own rules.
(define-abbrev-table 'deal-mode-abbrev-table
  (mapcar (lambda (w) (list w w #'deal-indent-line :system t))
          '("end" "else" "elseif" "until")))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.deal\\'" . deal-mode))
;;;###autoload
(add-to-list 'interpreter-mode-alist '("deal" . deal-mode))

;;;; `deal check' through M-x compile

(defconst deal-compilation-error-regexp
  '("^\\([^ \t\n:][^\t\n:]*\\.\\(?:deal\\|lua\\)\\):\\([0-9]+\\):\\([0-9]+\\): \\(?:error\\|\\(warning\\)\\): "
    1 2 3 (4))
  "Matches what deal and deal check print: `file.deal:12:5: error: message'
(a failing claim at its claim( line) and `file.deal:12:5: warning: message'.")

(add-to-list 'compilation-error-regexp-alist-alist
             (cons 'deal deal-compilation-error-regexp))
(add-to-list 'compilation-error-regexp-alist 'deal)

(defun deal-check (&optional file)
  "Run `deal check' on FILE (default: this buffer's file) with `compile'."
  (interactive)
  (let ((file (or file buffer-file-name)))
    (unless file (user-error "Buffer has no file"))
    (compile (concat deal-program " check " (shell-quote-argument file)))))

;;;; REPL

(defvar deal-process-buffer "*deal*" "Buffer of the `run-deal' process.")

(defcustom deal-repl-history-file (locate-user-emacs-file "deal-history")
  "History file of the REPL that `run-deal' starts (its DEAL_HISTORY).
Inside Emacs the input history is comint's (\\[comint-previous-input]),
and the REPL also records the queries behind completion, so by default
this is not the ~/.deal_history of terminal sessions.  nil: the REPL's
own default."
  :type '(choice (const :tag "The REPL's default" nil) file)
  :group 'deal)

(defcustom deal-repl-completion-timeout 2
  "Seconds completion in the REPL buffer waits for the REPL's answer."
  :type 'number
  :group 'deal)

(define-derived-mode inferior-deal-mode comint-mode "Inferior Deal"
  "Major mode for the `deal' REPL started by `run-deal'.
\\<inferior-deal-mode-map>\\[completion-at-point] completes names, fields, units after a number,
catalog keys in `chips.get \"...\"', commands after `:' and file names
after `:load', asking the running REPL (`deal-repl-completion-at-point')."
  :group 'deal
  (setq-local comint-prompt-regexp "^\\(?:>>?\\|deal>\\) ")
  (setq-local comint-prompt-read-only t)
  (setq-local comment-start "-- ")
  (setq-local font-lock-defaults '(deal-font-lock-keywords))
  (add-hook 'completion-at-point-functions #'deal-repl-completion-at-point nil t))

;;;###autoload
(defun run-deal (&optional program)
  "Start the `deal' REPL (or PROGRAM) in a comint buffer, and show it.
With a prefix argument, ask for the command line."
  (interactive
   (list (and current-prefix-arg
              (read-string "Run deal: "
                           (combine-and-quote-strings
                            (cons deal-program deal-program-args))))))
  (let* ((cmd (if program (split-string-and-unquote program)
                (cons deal-program deal-program-args)))
         (name (substring deal-process-buffer 1 -1))
         (buf (get-buffer-create deal-process-buffer)))
    (unless (comint-check-proc buf)
      (let ((process-environment
             (if deal-repl-history-file
                 (cons (concat "DEAL_HISTORY=" (expand-file-name deal-repl-history-file))
                       process-environment)
               process-environment)))
        (apply #'make-comint-in-buffer name buf (car cmd) nil (cdr cmd)))
      (with-current-buffer buf (inferior-deal-mode)))
    (pop-to-buffer buf)
    buf))

(defun deal--process ()
  "The running REPL process, started if needed."
  (or (get-buffer-process deal-process-buffer)
      (progn (save-window-excursion (run-deal))
             (get-buffer-process deal-process-buffer))))

(defun deal-send-region (start end)
  "Send the region between START and END to the REPL, as if typed."
  (interactive "r")
  (let ((text (buffer-substring-no-properties start end)))
    (comint-send-string (deal--process)
                        (if (string-suffix-p "\n" text) text (concat text "\n")))))

(defun deal-send-buffer ()
  "Run the buffer in the REPL.
A buffer visiting a saved file is sent as `:load FILE', so the file runs
as one chunk and its locals hold from one line to the next (they are
still gone once it has run).  Otherwise the text is sent line by line,
as if typed, and a `local' does not outlive its line."
  (interactive)
  (if (and buffer-file-name (not (buffer-modified-p)))
      (comint-send-string (deal--process)
                          (concat ":load " (file-local-name buffer-file-name) "\n"))
    (deal-send-region (point-min) (point-max))))

;;;; Completion in the REPL buffer

;; The REPL completes with Tab through readline, which comint bypasses: it
;; sends whole lines.  So completion sends `:complete INPUT' and reads the
;; answer back through `comint-redirect': the byte offset where the word
;; starts, then the candidates.  The REPL decides what completes where
;; (vm/complete.c), so this buffer offers what Tab offers, and completing
;; never runs the session's own code or touches `_' or the history.

(defun deal--repl-idle-p (proc)
  "Non-nil if PROC's REPL waits at its first prompt with nothing typed ahead."
  (with-current-buffer (process-buffer proc)
    (save-excursion
      (goto-char (process-mark proc))
      (let ((end (point)))
        (forward-line 0)
        (and (looking-at comint-prompt-regexp)
             (= (match-end 0) end)
             (not (looking-at ">> ")))))))

(defun deal--repl-query (proc command)
  "Send COMMAND to PROC's REPL; return the lines it printed, or nil if the
REPL is busy or slow."
  (when (and proc (process-live-p proc) (deal--repl-idle-p proc))
    (let ((out (generate-new-buffer " *deal-complete*")))
      (unwind-protect
          (with-current-buffer (process-buffer proc)
            (let ((comint-redirect-verbose nil)
                  (deadline (+ (float-time) deal-repl-completion-timeout)))
              (comint-redirect-send-command-to-process command out proc nil t)
              (while (and (not comint-redirect-completed) (< (float-time) deadline))
                (accept-process-output proc 0.05))
              (if (not comint-redirect-completed)
                  (progn (comint-redirect-cleanup) nil)
                (with-current-buffer out
                  (split-string (replace-regexp-in-string "\r" "" (buffer-string))
                                "\n" t)))))
        (kill-buffer out)))))

(defun deal-repl-completion-at-point ()
  "Complete at point in the REPL buffer with what the REPL's own Tab offers
there (`:complete'): command names after `:', file names after `:load' and
in other strings, catalog keys in the string after `chips.get', units after
a number, and globals, fields and methods (`x:') otherwise."
  (let* ((proc (get-buffer-process (current-buffer)))
         (bol (and proc (marker-position (process-mark proc)))))
    (when (and bol (>= (point) bol))
      (let* ((input (buffer-substring-no-properties bol (point)))
             (lines (and (not (string-match-p "\n" input))
                         (deal--repl-query proc (concat ":complete " input)))))
        (when (and lines (string-match-p "\\`[0-9]+\\'" (car lines)))
          (let* ((bytes (string-to-number (car lines)))  ; a byte offset: count characters
                 (off (length (decode-coding-string
                               (substring (encode-coding-string input 'utf-8) 0 bytes)
                               'utf-8)))
                 (word (substring input off))
                 ;; a field or method lists under its own name, as Tab lists it
                 (cut (if (string-match-p "[/\"']" (substring input 0 off))
                          0
                        (let ((i (string-match-p "[.:][^.:]*\\'" word))) (if (and i (> i 0)) (1+ i) 0))))
                 (cut (if (string-match-p "/" word) 0 cut)))
            (list (+ bol off cut) (point)
                  (mapcar (lambda (c) (if (>= (length c) cut) (substring c cut) c))
                          (cdr lines))
                  :exclusive 'no)))))))

(provide 'deal-mode)

;;; deal-mode.el ends here
