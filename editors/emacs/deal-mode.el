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
  (while (re-search-forward "\\(--\\)?\\[\\(=*\\)\\[" end t)
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

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.deal\\'" . deal-mode))
;;;###autoload
(add-to-list 'interpreter-mode-alist '("deal" . deal-mode))

;;;; `deal check' through M-x compile

(defconst deal-compilation-error-regexp
  '("^\\(?:deal: \\)?\\([^ \t\n:]+\\.deal\\):\\([0-9]+\\):\\(?:\\([0-9]+\\):\\)? " 1 2 3)
  "Matches `file.deal:12: message' and `file.deal:12:5: message'.")

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

(define-derived-mode inferior-deal-mode comint-mode "Inferior Deal"
  "Major mode for the `deal' REPL started by `run-deal'."
  :group 'deal
  (setq-local comint-prompt-regexp "^\\(?:>>?\\|deal>\\) ")
  (setq-local comint-prompt-read-only t)
  (setq-local comment-start "-- ")
  (setq-local font-lock-defaults '(deal-font-lock-keywords)))

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
      (apply #'make-comint-in-buffer name buf (car cmd) nil (cdr cmd))
      (with-current-buffer buf (inferior-deal-mode)))
    (pop-to-buffer buf)
    buf))

(defun deal--process ()
  "The running REPL process, started if needed."
  (or (get-buffer-process deal-process-buffer)
      (progn (save-window-excursion (run-deal))
             (get-buffer-process deal-process-buffer))))

(defun deal-send-region (start end)
  "Send the region between START and END to the REPL."
  (interactive "r")
  (let ((text (buffer-substring-no-properties start end)))
    (comint-send-string (deal--process)
                        (if (string-suffix-p "\n" text) text (concat text "\n")))))

(defun deal-send-buffer ()
  "Send the whole buffer to the REPL.
A buffer that visits a saved file is loaded with `:load', so the
model runs beside its data and its results keep their names and
lines (`:results' lists them); otherwise its text is sent, and its
top-level names stay defined all the same."
  (interactive)
  (if (and buffer-file-name (not (buffer-modified-p)))
      (comint-send-string (deal--process)
                          (format ":load \"%s\"\n" (expand-file-name buffer-file-name)))
    (deal-send-region (point-min) (point-max))))

(provide 'deal-mode)

;;; deal-mode.el ends here
