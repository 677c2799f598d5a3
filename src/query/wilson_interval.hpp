#pragma once

namespace accidents::query {

//! A confidence interval of a proportion.
struct Interval {
    double low = 0;
    double high = 0;
};

//! The standard normal quantile of a two-sided 95 % interval.
inline constexpr double z95 = 1.959963984540054;

//! The Wilson score interval of `successes` out of `trials` (E. B. Wilson, 1927): the proportions p
//! for which |successes/trials - p| <= z * sqrt(p (1 - p) / trials). Unlike the normal
//! approximation it stays within [0, 1] and is not empty at 0 or `trials` successes. NaN bounds
//! when `trials` is 0.
Interval wilson_interval(double successes, double trials, double z = z95);

} // namespace accidents::query
