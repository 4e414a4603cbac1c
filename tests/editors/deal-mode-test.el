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

(ert-deftest compile/deal-check-errors ()
  (with-temp-buffer
    (insert "deal check models/\n"
            "models/tpu.deal:12: claim failed: P = 0.40 < 0.9\n"
            "models/tpu.deal:7:15: incompatible units: GW and USD\n"
            "    local x = 1 GW + $1B\n")
    (let ((compilation-error-regexp-alist '(deal)))
      (compilation-mode)
      (compilation--ensure-parse (point-max))
      (let (locs)
        (goto-char (point-min))
        (while (not (eobp))
          (let ((msg (get-text-property (point) 'compilation-message)))
            (when msg
              (let ((loc (compilation--message->loc msg)))
                (push (list (caar (compilation--loc->file-struct loc))
                            (compilation--loc->line loc)
                            (compilation--loc->col loc))
                      locs))))
          (forward-line 1))
        (setq locs (nreverse locs))
        (should (equal (mapcar #'car locs) '("models/tpu.deal" "models/tpu.deal")))
        (should (equal (mapcar #'cadr locs) '(12 7)))
        (should (equal (nth 2 (cadr locs)) 15))))))

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

(defun deal-test--repl-output (buf text)
  "Wait (5 s at most) until BUF shows TEXT; return whether it did."
  (with-current-buffer buf
    (let ((deadline (+ (float-time) 5)))
      (while (and (not (string-match-p (regexp-quote text) (buffer-string)))
                  (< (float-time) deadline))
        (accept-process-output (get-buffer-process buf) 0.1))
      (string-match-p (regexp-quote text) (buffer-string)))))

(ert-deftest repl/send-buffer-keeps-results ()
  "With the real deal (DEAL): send-buffer of a saved model loads it, and
of an unsaved buffer sends its lines; either way its locals stay."
  (skip-unless (getenv "DEAL"))
  (let* ((deal-program (getenv "DEAL"))
         (deal-program-args nil)
         (deal-process-buffer "*deal-send-test*")
         (dir (make-temp-file "deal-send" t))
         (file (expand-file-name "model.deal" dir)))
    (unwind-protect
        (let ((buf (save-window-excursion (run-deal))))
          (with-temp-file file (insert "local kept = 41 GW\nlocal half = kept / 2\n"))
          (with-current-buffer (find-file-noselect file)
            (deal-send-buffer)
            (kill-buffer))
          (comint-send-string (get-buffer-process buf) "kept + 1 GW\n")
          (should (deal-test--repl-output buf "= 42 GW"))
          (comint-send-string (get-buffer-process buf) ":results\n")
          (should (deal-test--repl-output buf "2  half"))
          (with-temp-buffer
            (insert "local sent = 6\nsent * 7\n")
            (deal-send-buffer))
          (comint-send-string (get-buffer-process buf) "sent + 1\n")
          (should (deal-test--repl-output buf "= 42\n"))
          (should (deal-test--repl-output buf "= 7\n")))
      (when (get-buffer "*deal-send-test*")
        (let ((kill-buffer-query-functions nil))
          (kill-buffer "*deal-send-test*")))
      (delete-directory dir t))))

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
