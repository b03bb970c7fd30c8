# R's LCMCR long-run posterior of N on a capture table (the reference of tests/estimate/test_lcmcr_reference.py).
#   Rscript benchmarks/peers/lcmcr_reference.R TABLE.csv [K=10] [chains=5] [samples=100000] [thinning=10] [burnin=10000] [RLIB]
# Each chain (seed 1..chains) runs burnin + samples x thinning sweeps; prints the pooled median and 95% interval,
# each chain's median and the Monte-Carlo standard error of the median (spread of chain medians / sqrt(chains)).
a <- commandArgs(TRUE)
arg <- function(i, default) if (length(a) >= i) a[i] else default
.libPaths(c(arg(7, "/tmp/mingdan-peers/Rlib"), .libPaths()))
suppressMessages(library(LCMCR))
d <- read.csv(a[1], comment.char = "#")
d <- d[!is.na(d$count) & d$count > 0, ]
J <- ncol(d) - 1
caps <- d[rep(seq_len(nrow(d)), d$count), 1:J, drop = FALSE]
for (j in 1:J) caps[, j] <- factor(caps[, j], levels = c(0, 1))
K <- as.integer(arg(2, 10)); chains <- as.integer(arg(3, 5)); samples <- as.integer(arg(4, 100000))
thin <- as.integer(arg(5, 10)); burn <- as.integer(arg(6, 10000))
all <- c(); meds <- c()
for (seed in 1:chains) {
  s <- lcmCR(caps, K = K, a_alpha = 0.25, b_alpha = 0.25, seed = seed, buffer_size = samples, thinning = thin,
             verbose = FALSE)
  N <- lcmCR_PostSampl(s, burnin = burn, samples = samples, thinning = thin, output = FALSE)
  meds <- c(meds, median(N)); all <- c(all, N)
}
q <- quantile(all, c(0.025, 0.5, 0.975))
cat(sprintf("%s K=%d chains=%d sweeps_per_chain=%d median=%.1f lower=%.1f upper=%.1f chain_medians=%s se_median=%.2f\n",
  basename(a[1]), K, chains, burn + samples * thin, q[2], q[1], q[3], paste(meds, collapse = "/"),
  sd(meds) / sqrt(chains)))
