;;; deal-mode-test.el --- ERT tests for editors/emacs/deal-mode.el  -*- lexical-binding: t -*-

;;; Commentary:

;; Run (see tests/editors/run.sh), with or without lua-mode on the load-path:
;;   emacs -Q --batch -L editors/emacs [-L .../lua-mode] -l tests/editors/deal-mode-test.el \
;;     --eval '(deal-test-tap "emacs")'
;; One test per file in editors/fixtures/, plus mode, compile and REPL tests.
;; DEAL_EXPECT_PARENT=lua-mode|deal-lua-base-mode pins the parent mode.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'seq)
(require 'deal-mode)

(defconst deal-test-root
  (file-name-directory
   (directory-file-name
    (file-name-directory
     (directory-file-name (file-name-directory (or load-file-name buffer-file-name)))))))

(defconst deal-test-faces
  '(("number" deal-number-face)
    ("unit" deal-unit-face)
    ("money" deal-money-face)
    ("currency" deal-currency-face)
    ("range" deal-range-face)
    ("builtin" deal-builtin-face)
    ("library" font-lock-builtin-face)
    ("claim" deal-claim-face)
    ("comment" font-lock-comment-face font-lock-comment-delimiter-face)
    ("string" font-lock-string-face)
    ("keyword" font-lock-keyword-face)
    ("constant" font-lock-constant-face))
  "Neutral class -> faces.  A class missing here uses its nearest parent.")

(defun deal-test--required (class)
  (let ((c class) faces)
    (while (and c (not faces))
      (setq faces (cdr (assoc c deal-test-faces))
            c (and (string-match "\\.[^.]*\\'" c) (substring c 0 (match-beginning 0)))))
    (or faces (error "Unknown class %s" class))))

(defun deal-test--forbidden (class)
  (or (apply #'append
             (mapcar (lambda (e)
                       (when (or (equal (car e) class)
                                 (string-prefix-p (concat class ".") (car e)))
                         (cdr e)))
                     deal-test-faces))
      ;; a subclass merged into its parent here forbids the parent's faces
      (deal-test--required class)))

(defun deal-test--parse (file)
  "Return (SOURCE-LINES . CHECKS) for fixture FILE."
  (let ((lines (cdr (split-string (with-temp-buffer
                                    (insert-file-contents file)
                                    (buffer-string))
                                  "\n")))
        (src nil) (checks nil) (fixline 1))
    (dolist (l lines)
      (setq fixline (1+ fixline))
      (if (not (string-match "\\`--[ \t]*\\(?:\\^\\|<~*-+\\)" l))
          (push l src)
        (let (spans spec)
          (if (string-match "\\`--[ \t]*<\\(~*\\)\\(-+\\)\\(.*\\)\\'" l)
              (let ((from (length (match-string 1 l))))
                (setq spec (match-string 3 l)
                      spans (list (cons from (+ from (length (match-string 2 l)))))))
            (let ((start 0))
              (while (string-match "\\^+" l start)
                (push (cons (match-beginning 0) (match-end 0)) spans)
                (setq start (match-end 0)))
              (setq spec (substring l start))))
          (let* ((parts (split-string (concat " " spec) "[ \t]-\\(?:[ \t]\\|\\'\\)"))
                 (req (split-string (car parts)))
                 (forb (and (cdr parts) (split-string (cadr parts)))))
            (dolist (sp spans)
              (push (list (length src) (car sp) (cdr sp) req forb fixline) checks))))))
    (cons (nreverse src) (nreverse checks))))

(defun deal-test--faces-at (pos)
  (let ((f (get-text-property pos 'face)))
    (if (listp f) f (list f))))

(defun deal-test-check-fixture (file)
  "Return a list of mismatches between FILE's assertions and `deal-mode'."
  (let* ((parsed (deal-test--parse file))
         (errs nil))
    (with-temp-buffer
      (insert (mapconcat #'identity (car parsed) "\n"))
      (deal-mode)
      (font-lock-ensure)
      (dolist (c (cdr parsed))
        (pcase-let ((`(,line ,from ,to ,req ,forb ,fixline) c))
          (goto-char (point-min))
          (forward-line (1- line))
          (let ((bol (point)))
            (when (> to (- (line-end-position) bol))
              (push (format "%d: assertion runs past the end of the line" fixline) errs))
            (dotimes (i (- to from))
              (let* ((col (+ from i))
                     (faces (deal-test--faces-at (+ bol col))))
                (dolist (cls req)
                  (unless (cl-intersection faces (deal-test--required cls))
                    (push (format "%d:%d expected %s, got %S" fixline (1+ col) cls faces) errs)))
                (dolist (cls forb)
                  (when (cl-intersection faces (deal-test--forbidden cls))
                    (push (format "%d:%d must not be %s, got %S" fixline (1+ col) cls faces)
                          errs)))))))))
    (nreverse errs)))

(dolist (file (directory-files (expand-file-name "editors/fixtures" deal-test-root) t "\\.deal\\'"))
  (let ((name (intern (concat "fixtures/" (file-name-nondirectory file)))))
    (eval `(ert-deftest ,name ()
             (should (equal (deal-test-check-fixture ,file) nil)))
          t)))

(ert-deftest mode/auto-mode-and-parent ()
  (should (eq (assoc-default "x.deal" auto-mode-alist #'string-match) 'deal-mode))
  (let ((want (getenv "DEAL_EXPECT_PARENT")))
    (when (and want (not (equal want "")))
      (should (eq (get 'deal-mode 'derived-mode-parent) (intern want)))))
  (with-temp-buffer
    (deal-mode)
    (should (derived-mode-p 'prog-mode))
    (should (equal comment-start "-- "))
    (insert "local x = 1 -- $5\n--[[ long\n$6 ]] y = 2")
    (should (nth 4 (syntax-ppss (- (point-max) 12))))
    (should-not (nth 8 (syntax-ppss (point-max))))))

;; The compilation regexp is tested on real deal output: deal-errors-test.el.

(ert-deftest repl/run-deal ()
  (let ((deal-program "cat")
        (deal-program-args nil)
        (deal-process-buffer "*deal-test*"))
    (unwind-protect
        (let ((buf (save-window-excursion (run-deal))))
          (with-current-buffer buf
            (should (eq major-mode 'inferior-deal-mode))
            (should (process-live-p (get-buffer-process buf))))
          (with-temp-buffer
            (insert "print(1.2 GW)")
            (deal-send-buffer))
          (with-current-buffer buf
            (let ((deadline (+ (float-time) 5)))
              (while (and (not (string-match-p "print(1.2 GW)"
                                               (buffer-string)))
                          (< (float-time) deadline))
                (accept-process-output (get-buffer-process buf) 0.1)))
            (should (string-match-p "print(1.2 GW)" (buffer-string)))))
      (when (get-buffer "*deal-test*")
        (let ((kill-buffer-query-functions nil))
          (kill-buffer "*deal-test*"))))))

;;;; Indentation

(ert-deftest mode/indent-settings ()
  (with-temp-buffer
    (deal-mode)
    (should (eq indent-line-function #'deal-indent-line))
    (should (equal deal-indent-offset 2))
    (should-not indent-tabs-mode)
    (when (boundp 'lua-indent-level)
      (should (equal lua-indent-level 2)))))

(defun deal-test--strip (lines)
  "LINES without their indentation, except inside long strings and comments."
  (let (long)
    (mapcar (lambda (l)
              (prog1 (if long l (string-trim-left l))
                (if long
                    (when (string-match-p (regexp-quote long) l) (setq long nil))
                  (when (string-match "\\[\\(=*\\)\\[" l)
                    (let ((close (concat "]" (match-string 1 l) "]")))
                      (unless (string-match-p (regexp-quote close) l (match-end 0))
                        (setq long close)))))))
            lines)))

(defun deal-test-reindent (file)
  "Mismatches after stripping FILE's indentation and `indent-region'."
  (let* ((want (split-string (with-temp-buffer (insert-file-contents file) (buffer-string))
                             "\n"))
         (got (with-temp-buffer
                (insert (mapconcat #'identity (deal-test--strip want) "\n"))
                (deal-mode)
                (let ((inhibit-message t))
                  (indent-region (point-min) (point-max)))
                (split-string (buffer-substring-no-properties (point-min) (point-max)) "\n")))
         (i 0) errs)
    (while want
      (setq i (1+ i))
      (unless (equal (car want) (car got))
        (push (format "line %d: want %S got %S" i (car want) (car got)) errs))
      (setq want (cdr want) got (cdr got)))
    (nreverse errs)))

;; Strip-and-reindent: each example model and the indentation cases must come
;; back as written.
(dolist (file (append (directory-files (expand-file-name "examples" deal-test-root) t
                                       "\\.deal\\'")
                      (directory-files (expand-file-name "editors/fixtures/indent" deal-test-root)
                                       t "\\.deal\\'")))
  (let ((name (intern (format "indent/%s/%s"
                              (file-name-nondirectory (directory-file-name
                                                       (file-name-directory file)))
                              (file-name-nondirectory file)))))
    (eval `(ert-deftest ,name ()
             (should (equal (deal-test-reindent ,file) nil)))
          t)))

(ert-deftest indent/typing ()
  ;; RET and closing brackets reindent as they are typed (electric-indent-mode).
  (with-temp-buffer
    (deal-mode)
    (electric-indent-local-mode 1)
    (dolist (ev (string-to-list "claim(\"x holds\",\rx > 0)\rlocal t = {\ra = 1,\r}\r"))
      (let ((last-command-event ev))
        (if (eq ev ?\r) (newline 1 t) (self-insert-command 1))))
    (should (equal (buffer-string)
                   "claim(\"x holds\",\n      x > 0)\nlocal t = {\n  a = 1,\n}\n"))))

(ert-deftest mode/shebang-comment ()
  (with-temp-buffer
    (insert "#!/usr/bin/env deal --seed 'x 42\nlocal x = 5 GW\n")
    (deal-mode)
    (font-lock-ensure)
    (should (nth 4 (syntax-ppss 20)))           ; inside the first line
    (should-not (nth 8 (syntax-ppss (point-max))))
    (goto-char (point-min))
    (search-forward "42")
    (should (memq 'font-lock-comment-face
                  (let ((f (get-text-property (1- (point)) 'face))) (if (listp f) f (list f)))))
    (should-not (memq 'deal-number-face
                      (let ((f (get-text-property (1- (point)) 'face))) (if (listp f) f (list f)))))
    (search-forward "5")
    (should (eq (get-text-property (1- (point)) 'face) 'deal-number-face))))

;;;; The REPL, with the real deal program

(defconst deal-test-program
  (let ((d (getenv "DEAL")))
    (if (and d (not (equal d ""))) d (expand-file-name "deal" deal-test-root))))

(defun deal-test--wait (proc pred &optional secs)
  "Accept output from PROC until PRED holds or SECS (default 30) pass."
  (let ((deadline (+ (float-time) (or secs 30))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output proc 0.05))
    (funcall pred)))

(defmacro deal-test-with-repl (&rest body)
  "Run BODY in the *deal-test* buffer of a real REPL; `proc' is its process."
  (declare (indent 0))
  `(let* ((dir (make-temp-file "deal-repl" t))
          (default-directory (file-name-as-directory dir))
          (deal-program deal-test-program)
          (deal-program-args '("-i"))
          (deal-repl-history-file (expand-file-name "history" dir))
          (deal-repl-completion-timeout 20)  ; slow under ASan (make check-asan)
          (deal-process-buffer "*deal-test*"))
     (unwind-protect
         (let* ((buf (save-window-excursion (run-deal)))
                (proc (get-buffer-process buf)))
           (with-current-buffer buf
             (should (deal-test--wait proc (lambda () (deal--repl-idle-p proc))))
             ,@body))
       (when (get-buffer "*deal-test*")
         (let ((kill-buffer-query-functions nil))
           (kill-buffer "*deal-test*")))
       (delete-directory dir t))))

(defun deal-test--send (proc line)
  "Type LINE at the REPL prompt and wait for the next prompt."
  (goto-char (point-max))
  (insert line)
  (comint-send-input)
  (deal-test--wait proc (lambda () (deal--repl-idle-p proc))))

(defun deal-test--complete (text)
  "The completions `completion-at-point' offers after typing TEXT."
  (goto-char (point-max))
  (comint-kill-input)
  (insert text)
  (let ((r (run-hook-with-args-until-success 'completion-at-point-functions)))
    (prog1 (and r (sort (all-completions (buffer-substring-no-properties (nth 0 r) (nth 1 r))
                                         (nth 2 r))
                        #'string<))
      (comint-kill-input))))

(ert-deftest repl/completion ()
  (deal-test-with-repl
    (make-directory "models")
    (deal-test--send proc "energy = 1.2 GW * 8760 h")
    (deal-test--send proc "plan = { alpha = 1, beta = 2, __meta = 3 }")
    (deal-test--send proc "6 * 7")
    (should (equal (deal-test--complete "chips.g") '("get")))
    (should (member "chips" (deal-test--complete "chi")))
    (should (member "plan" (deal-test--complete "pl")))
    (should (equal (deal-test--complete "plan.") '("alpha" "beta")))
    (should (equal (deal-test--complete "plan.__") '("__meta")))
    (should (equal (deal-test--complete "energy:tof") '("tofloat")))
    (should (equal (deal-test--complete "  chips.g") '("get")))
    (should (member "GW" (deal-test--complete "x = 1.2 G")))
    (should (member "kWh" (deal-test--complete "x = $0.06/k")))
    (should (member "tpu-v7" (deal-test--complete "chips.get \"tpu-")))
    (should (equal (deal-test--complete ":lo") '(":load")))
    (should (equal (deal-test--complete ":load mo") '("models/")))
    (should (equal (deal-test--complete "print(\"mo") '("models/")))
    ;; Nothing of the queries shows, and the last result is still 42.
    (deal-test--send proc "_")
    (should (string-match-p "= 42\n> \\'" (buffer-string)))
    (should-not (string-match-p "deal-complete" (buffer-string)))
    ;; The queries went to the REPL's history file, not ~/.deal_history.
    (should (file-exists-p deal-repl-history-file))))

(ert-deftest repl/send-buffer-loads-the-file ()
  (deal-test-with-repl
    (let ((file (expand-file-name "model.deal" default-directory)))
      (with-temp-file file
        (insert "local power = 2 GW\nprint(\"three times:\", power * 3)\n"))
      (with-current-buffer (find-file-noselect file)
        (unwind-protect
            (progn
              (deal-send-buffer)
              ;; A modified buffer is sent as text: each line is its own chunk.
              (goto-char (point-max))
              (insert "print(\"unsaved\", power)\n")
              (deal-send-buffer))
          (set-buffer-modified-p nil)
          (kill-buffer)))
      (should (deal-test--wait proc (lambda ()
                                      (string-match-p "unsaved\tnil" (buffer-string)))))
      ;; Loaded as one chunk, the local is still there on the second line.
      (should (string-match-p "three times:\t6 GW" (buffer-string))))))

(defun deal-test-tap (label)
  "Run every test and print one TAP line per test, named with LABEL."
  (dolist (test (ert-select-tests t t))
    (let* ((result (ert-run-test test))
           (ok (ert-test-passed-p result)))
      (princ (format "%s - %s %s\n" (if ok "ok" "not ok") label (ert-test-name test)))
      (unless ok
        (let ((text (if (ert-test-result-with-condition-p result)
                        (format "%S" (ert-test-result-with-condition-condition result))
                      (format "%S" result))))
          (dolist (l (seq-take (split-string text "\n") 12))
            (princ (format "#   %s\n" (truncate-string-to-width l 300)))))))))

;;; deal-mode-test.el ends here
