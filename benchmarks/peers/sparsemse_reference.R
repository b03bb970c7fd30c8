# SparseMSE's stepwise estimate and BCa bootstrap on capture tables (the reference of tests/estimate/test_stepwise.py).
#   Rscript benchmarks/peers/sparsemse_reference.R NBOOT TABLE.csv [TABLE.csv ...]   (NBOOT 0: point estimates only)
# Library: R_LIBS=/tmp/mingdan-peers/Rlib (benchmarks/peers/build_r_peers.sh).
suppressMessages(library(SparseMSE))
a <- commandArgs(TRUE)
nboot <- as.integer(a[1])
for (f in a[-1]) {
  d <- read.csv(f, comment.char = "#")
  d <- d[!is.na(d$count) & d$count > 0, ]
  z <- estimatepopulation.0(d, method = "stepwise", quantiles = NULL, pthresh = 0.02)
  co <- names(coef(z$MSEfit$fit))
  cat(sprintf("%s: %.3f | %s | empty %s\n", basename(f), z$estimate, paste(co[grepl(":", co)], collapse = " "),
              paste(colnames(z$MSEfit$emptyoverlaps), collapse = " ")))
  if (nboot > 0) {
    b <- estimatepopulation(d, nboot = nboot, pthresh = 0.02, iseed = 1234)
    cat(sprintf("  BCa (nboot %d, iseed 1234): %s; acceleration %.5f\n", nboot,
                paste(sprintf("%s=%.1f", names(b$BCaquantiles), b$BCaquantiles), collapse = " "), b$ahat))
  }
}
