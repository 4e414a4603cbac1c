;;; deal-errors-test.el --- Emacs's compilation mode on real deal output  -*- lexical-binding: t -*-
;; Run with DEAL_DIAG_DIR (made by tests/editors/errors.sh): each captured
;; output is read in compilation mode with deal-mode's regexp only, then
;; `first-error'/`next-error' visit every location; prints
;; "OUTFILE FILE:LINE:COL TYPE" of each place visited (issue 16).
(require 'deal-mode)
(require 'compile)
(let* ((dir (file-name-as-directory (getenv "DEAL_DIAG_DIR")))
       (compilation-error-regexp-alist '(deal))
       (out nil))
  (dolist (f '("check.out" "run.out"))
    (let (buf)
      ;; M-x compile, as deal-check runs it: a real process, the real
      ;; buffer layout (header, command, output, footer)
      (let ((default-directory dir)
            (compilation-buffer-name-function (lambda (_) (concat "*" f "*"))))
        (setq buf (compile (concat "cat " f))))
      (let ((proc (get-buffer-process buf)))
        (while (and proc (process-live-p proc)) (accept-process-output proc 0.1)))
      (with-current-buffer buf
        (compilation--ensure-parse (point-max))
        (setq next-error-last-buffer buf))
      (condition-case nil
          (progn
            (first-error)
            (while t
              ;; the visited source is in the selected window; the message
              ;; is at point in the compilation buffer
              (let* ((msg (with-current-buffer buf
                            (get-text-property (point) 'compilation-message)))
                     (type (and msg (compilation--message->type msg))))
                (with-current-buffer (window-buffer)
                  (goto-char (window-point))
                  (push (format "%s %s:%d:%d %s" f
                                (file-relative-name buffer-file-name dir)
                                (line-number-at-pos) (1+ (current-column))
                                (pcase type (2 "error") (1 "warning") (_ (format "type %s" type))))
                        out)))
              (next-error)))
        (user-error nil))))
  (princ (mapconcat #'identity (nreverse out) "\n"))
  (princ "\n"))
