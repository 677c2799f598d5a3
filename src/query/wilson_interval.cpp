#include "query/wilson_interval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace accidents::query {

Interval wilson_interval(double successes, double trials, double z) {
    if (!(trials > 0)) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {nan, nan};
    }
    const double p = successes / trials;
    const double z2 = z * z;
    const double denominator = 1 + z2 / trials;
    const double centre = (p + z2 / (2 * trials)) / denominator;
    const double half = z * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator;
    // The bounds are exactly 0 and 1 at 0 and `trials` successes; rounding must not step past them.
    return {successes <= 0 ? 0.0 : std::max(0.0, centre - half),
            successes >= trials ? 1.0 : std::min(1.0, centre + half)};
}

} // namespace accidents::query
