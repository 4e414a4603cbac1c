;;; eglot-test.el --- Emacs's eglot against `deal lsp', in batch  -*- lexical-binding: t -*-
;; tests/lsp/eglot-test.el: run as
;;   DEAL=... LSP_DIR=... emacs -Q --batch -L editors/emacs -l tests/lsp/eglot-test.el
;; Opens a model with a unit error in deal-mode, starts eglot (Debian's
;; elpa-eglot) with `deal lsp', waits for flymake's diagnostic, asks for a
;; hover, fixes the line and waits for the diagnostic to go. The expected
;; line, message and value come from `deal --json' on the same file. TAP
;; lines on standard output.
(require 'eglot)
(require 'json)
(require 'deal-mode)

(defvar deal-lsp-test-failed nil)

(defun deal-lsp-check (name ok &optional diag)
  "Print a TAP line for NAME; OK non-nil passes; DIAG explains a failure."
  (princ (format "%s - eglot %s\n" (if ok "ok" "not ok") name))
  (unless ok
    (setq deal-lsp-test-failed t)
    (when diag (princ (format "#   %s\n" (replace-regexp-in-string "\n" "\n#   " (format "%S" diag)))))))

(defun deal-lsp-wait (pred secs)
  "Process events until PRED holds or SECS pass; PRED's last value."
  (let ((end (+ (float-time) secs)) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05))
    v))

(defun deal-lsp-diags ()
  (flymake-diagnostics (point-min) (point-max)))

(condition-case e
(let* ((deal (getenv "DEAL"))
       (dir (file-name-as-directory (getenv "LSP_DIR")))
       (file (concat dir "eglot_model.deal")))
  (with-temp-file file
    (insert "local budget = $1B\nlocal power = 40 MW\nlocal oops = budget + power\n"))
  (let* ((ref (json-read-from-string
               (with-output-to-string
                 (call-process deal nil (list standard-output nil) nil
                               "--json" "--samples" "2000" file))))
         (err (alist-get 'error ref))
         (first (aref (alist-get 'results ref) 0)))
    (add-to-list 'eglot-server-programs `(deal-mode . (,deal "lsp")))
    (find-file file)
    (deal-mode)
    (condition-case e
        (progn
          (apply #'eglot (eglot--guess-contact))
          (deal-lsp-check "connects" (eglot-current-server))
          (deal-lsp-check "flymake shows the unit error"
                          (deal-lsp-wait #'deal-lsp-diags 20) (deal-lsp-diags))
          (let ((d (car (deal-lsp-diags))))
            (deal-lsp-check "on line 3, where deal --json puts it"
                            (and d (= (line-number-at-pos (flymake-diagnostic-beg d)) (alist-get 'line err)))
                            (list d err))
            (deal-lsp-check "with deal's message"
                            (and d (string-match-p (regexp-quote (car (last (split-string (alist-get 'message err) ": "))))
                                                   (flymake-diagnostic-text d)))
                            (list (and d (flymake-diagnostic-text d)) err)))
          (goto-char (point-min))
          (search-forward "budget")
          (backward-char 2)
          (let* ((h (jsonrpc-request (eglot-current-server) :textDocument/hover
                                     (eglot--TextDocumentPositionParams)))
                 (v (plist-get (plist-get h :contents) :value)))
            (deal-lsp-check "hover shows the result's value from the run"
                            (and v (string-match-p (regexp-quote (alist-get 'text first)) v))
                            (list v first)))
          (goto-char (point-min))
          (forward-line 2)
          (delete-region (point) (line-end-position))
          (insert "local oops = power * 2")
          (deal-lsp-check "fixing the line clears the diagnostic"
                          (deal-lsp-wait (lambda () (null (deal-lsp-diags))) 20) (deal-lsp-diags))
          (eglot-shutdown (eglot-current-server)))
      (error (deal-lsp-check "ran without an error" nil e)))))
  (error (deal-lsp-check "set up without an error" nil e)))
(kill-emacs (if deal-lsp-test-failed 1 0))
