/**
 * Statistics shown beside grouped runs: the tests that say whether two groups' means differ more
 * than their spread explains. The arithmetic is Apache Commons Math's; this package picks the test
 * and states when it cannot be run.
 */
package dev.assay.stats;
