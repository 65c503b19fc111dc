#!/bin/sh
# Chromium for the page tests, killed by the kernel when the test worker that launched it dies.
exec setpriv --pdeathsig KILL -- /usr/bin/chromium "$@"
