#include "query/wilson_interval.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace accidents::query {
namespace {

// References computed independently of the closed form: the roots of
// |k/n - p| = z sqrt(p (1 - p) / n) found by bisection in Python (z = NormalDist().inv_cdf(0.975)).
struct Case {
    double k, n, low, high;
};

TEST(WilsonInterval, MatchesReferenceValues) {
    for (const Case c : {Case{0, 10, 0.0, 0.277532799862889}, Case{5, 10, 0.236593090512564, 0.763406909487436},
                         Case{81, 263, 0.255288519878274, 0.366209576982800}, Case{10, 10, 0.722467200137111, 1.0},
                         Case{1, 1, 0.206549314377238, 1.0}, Case{0, 1, 0.0, 0.793450685622763},
                         Case{4470, 25718, 0.169225709579290, 0.178488176813304}}) {
        const Interval i = wilson_interval(c.k, c.n);
        EXPECT_NEAR(i.low, c.low, 1e-12) << c.k << " of " << c.n;
        EXPECT_NEAR(i.high, c.high, 1e-12) << c.k << " of " << c.n;
    }
}

TEST(WilsonInterval, StaysWithinZeroAndOneAndHoldsTheShare) {
    for (double n = 1; n <= 200; n += 7) {
        for (double k = 0; k <= n; ++k) {
            const Interval i = wilson_interval(k, n);
            EXPECT_GE(i.low, 0.0);
            EXPECT_LE(i.high, 1.0);
            EXPECT_LE(i.low, k / n);
            EXPECT_GE(i.high, k / n);
        }
    }
}

TEST(WilsonInterval, NarrowsAsTrialsGrow) {
    const Interval small = wilson_interval(3, 10);
    const Interval large = wilson_interval(300, 1000);
    EXPECT_LT(large.high - large.low, small.high - small.low);
}

TEST(WilsonInterval, IsUndefinedWithoutTrials) {
    const Interval i = wilson_interval(0, 0);
    EXPECT_TRUE(std::isnan(i.low));
    EXPECT_TRUE(std::isnan(i.high));
}

} // namespace
} // namespace accidents::query
