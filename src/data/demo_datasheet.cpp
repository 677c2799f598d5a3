#include "data/demo_datasheet.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "data/csv_field.hpp"

namespace accidents::data {

namespace {

using std::string_view;
namespace chr = std::chrono;

template <class T> struct Weighted {
    T value;
    unsigned weight;
};

// Coordinates are kept in integer micro-degrees so that no floating-point rounding reaches the output.
consteval std::int32_t micro(double degrees) {
    return static_cast<std::int32_t>(degrees * 1e6 + (degrees < 0 ? -0.5 : 0.5));
}

enum class Kind : std::uint8_t {
    single,
    twin,
    agricultural,
    helicopter,
    turbine_helicopter,
    turboprop,
    business_jet,
    airliner,
    glider,
    balloon,
    homebuilt,
    gyroplane,
};
using enum Kind;

constexpr unsigned bit(Kind kind) { return 1U << static_cast<unsigned>(kind); }

constexpr string_view header =
    "Event.Id,Investigation.Type,Accident.Number,Event.Date,Location,Country,Latitude,Longitude,Airport.Code,"
    "Airport.Name,Injury.Severity,Aircraft.damage,Aircraft.Category,Registration.Number,Make,Model,Amateur.Built,"
    "Number.of.Engines,Engine.Type,FAR.Description,Schedule,Purpose.of.flight,Air.carrier,Total.Fatal.Injuries,"
    "Total.Serious.Injuries,Total.Minor.Injuries,Total.Uninjured,Weather.Condition,Broad.phase.of.flight,"
    "Report.Status,Publication.Date\n";

// The real yearly counts, bent down to about 1,200 a year by 2020.
constexpr std::array<Weighted<int>, 47> years = {{
    {1948, 1},    {1962, 1},    {1974, 1},    {1977, 1},    {1979, 2},    {1981, 1},    {1982, 3593}, {1983, 3556},
    {1984, 3457}, {1985, 3096}, {1986, 2880}, {1987, 2828}, {1988, 2730}, {1989, 2544}, {1990, 2518}, {1991, 2462},
    {1992, 2355}, {1993, 2313}, {1994, 2257}, {1995, 2309}, {1996, 2187}, {1997, 2148}, {1998, 2226}, {1999, 2209},
    {2000, 2220}, {2001, 2063}, {2002, 2020}, {2003, 2085}, {2004, 1952}, {2005, 2031}, {2006, 1851}, {2007, 2016},
    {2008, 1893}, {2009, 1783}, {2010, 1786}, {2011, 1750}, {2012, 1735}, {2013, 1561}, {2014, 1535}, {2015, 1482},
    {2016, 1464}, {2017, 1418}, {2018, 1381}, {2019, 1324}, {2020, 1192}, {2021, 1245}, {2022, 1307},
}};

constexpr std::array<unsigned, 12> month_weights = {65, 65, 80, 85, 95, 105, 115, 110, 95, 85, 70, 60};

constexpr std::array<string_view, 16> purposes = {
    "Personal",           "Instructional",   "Business",      "Executive/corporate",
    "Aerial Application", "Positioning",     "Ferry",         "Other Work Use",
    "Aerial Observation", "Public Aircraft", "Flight Test",   "Skydiving",
    "Banner Tow",         "External Load",   "Air Race show", "Unknown"};

struct FarPart {
    string_view code;
    string_view description;
};

constexpr std::array<FarPart, 9> far_parts = {{
    {"091", "Part 91: General Aviation"},
    {"137", "Part 137: Agricultural"},
    {"135", "Part 135: Air Taxi & Commuter"},
    {"121", "Part 121: Air Carrier"},
    {"133", "Part 133: Rotorcraft Ext. Load"},
    {"PUBU", "Public Use"},
    {"125", "Part 125: 20+ Pax,6000+ lbs"},
    {"091K", "Part 91 Subpart K: Fractional"},
    {"UNK", "Unknown"},
}};

constexpr std::array<FarPart, 2> foreign_far_parts = {{
    {"NUSN", "Non-U.S., Non-Commercial"},
    {"NUSC", "Non-U.S., Commercial"},
}};

struct Profile {
    Kind kind;
    string_view category;
    int seats;
    std::array<unsigned, purposes.size()> purpose; // weights of `purposes`
    std::array<unsigned, far_parts.size()> far;    // weights of `far_parts`
};

constexpr std::array<Profile, 12> profiles = {{
    {single,
     "Airplane",
     4,
     {600, 140, 50, 5, 5, 30, 20, 10, 10, 5, 5, 5, 3, 0, 2, 100},
     {950, 5, 25, 0, 0, 5, 0, 0, 15}},
    {twin,
     "Airplane",
     6,
     {450, 100, 150, 50, 0, 50, 20, 10, 10, 10, 5, 0, 0, 0, 0, 100},
     {800, 0, 150, 0, 0, 20, 0, 10, 20}},
    {agricultural,
     "Airplane",
     1,
     {10, 0, 0, 0, 850, 20, 10, 20, 0, 0, 0, 0, 0, 0, 0, 30},
     {100, 880, 0, 0, 0, 0, 0, 0, 20}},
    {helicopter,
     "Helicopter",
     3,
     {300, 250, 20, 0, 100, 50, 10, 80, 60, 10, 10, 0, 0, 10, 0, 50},
     {800, 60, 80, 0, 20, 20, 0, 0, 20}},
    {turbine_helicopter,
     "Helicopter",
     6,
     {50, 30, 50, 30, 50, 100, 20, 200, 120, 150, 10, 0, 0, 100, 0, 60},
     {400, 40, 300, 0, 120, 120, 0, 0, 20}},
    {turboprop,
     "Airplane",
     12,
     {150, 20, 250, 150, 0, 100, 20, 40, 20, 40, 10, 100, 0, 0, 0, 80},
     {450, 0, 450, 30, 0, 40, 10, 10, 10}},
    {business_jet,
     "Airplane",
     9,
     {80, 10, 250, 350, 0, 150, 30, 0, 0, 10, 20, 0, 0, 0, 0, 80},
     {550, 0, 300, 0, 0, 10, 10, 120, 10}},
    {airliner,
     "Airplane",
     300,
     {0, 0, 0, 0, 0, 20, 10, 0, 0, 0, 10, 0, 0, 0, 0, 100},
     {20, 0, 100, 850, 0, 0, 30, 0, 0}},
    {glider, "Glider", 2, {700, 200, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 20, 60}, {980, 0, 0, 0, 0, 0, 0, 0, 20}},
    {balloon, "Balloon", 6, {600, 20, 40, 0, 0, 0, 0, 250, 0, 0, 0, 0, 0, 0, 0, 90}, {900, 0, 80, 0, 0, 0, 0, 0, 20}},
    {homebuilt,
     "Airplane",
     2,
     {800, 10, 20, 0, 0, 10, 10, 0, 0, 0, 60, 0, 0, 0, 20, 70},
     {980, 0, 0, 0, 0, 0, 0, 0, 20}},
    {gyroplane, "Gyrocraft", 2, {800, 80, 0, 0, 0, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 90}, {980, 0, 0, 0, 0, 0, 0, 0, 20}},
}};

constexpr bool profiles_in_kind_order() {
    for (std::size_t i = 0; i < profiles.size(); ++i) {
        if (static_cast<std::size_t>(profiles[i].kind) != i) {
            return false;
        }
    }
    return true;
}
static_assert(profiles_in_kind_order());

struct Aircraft {
    string_view make;
    string_view model;
    Kind kind;
    int engines;
    string_view engine;
    int since; // first year the model can appear
    bool kit;
    unsigned weight;
};

constexpr string_view rec = "Reciprocating";
constexpr string_view prop = "Turbo Prop";
constexpr string_view shaft = "Turbo Shaft";
constexpr string_view fan = "Turbo Fan";

constexpr std::array<Aircraft, 100> aircraft = {{
    {"Cessna", "152", single, 1, rec, 1977, false, 400},
    {"Cessna", "172", single, 1, rec, 1956, false, 300},
    {"Cessna", "172N", single, 1, rec, 1977, false, 220},
    {"Cessna", "172M", single, 1, rec, 1973, false, 150},
    {"Cessna", "172P", single, 1, rec, 1981, false, 130},
    {"Cessna", "172S", single, 1, rec, 1998, false, 100},
    {"Cessna", "150", single, 1, rec, 1959, false, 150},
    {"Cessna", "150M", single, 1, rec, 1975, false, 110},
    {"Cessna", "182", single, 1, rec, 1956, false, 110},
    {"Cessna", "182P", single, 1, rec, 1972, false, 70},
    {"Cessna", "180", single, 1, rec, 1953, false, 110},
    {"Cessna", "170B", single, 1, rec, 1952, false, 70},
    {"Cessna", "140", single, 1, rec, 1946, false, 70},
    {"Cessna", "A185F", single, 1, rec, 1973, false, 50},
    {"Cessna", "206", single, 1, rec, 1964, false, 40},
    {"Cessna", "T210N", single, 1, rec, 1979, false, 40},
    {"Cessna", "177RG", single, 1, rec, 1971, false, 40},
    {"Cessna", "A188B", agricultural, 1, rec, 1972, false, 60},
    {"Cessna", "208B", turboprop, 1, prop, 1986, false, 40},
    {"Cessna", "310R", twin, 2, rec, 1975, false, 40},
    {"Cessna", "421C", twin, 2, rec, 1976, false, 20},
    {"Cessna", "501", business_jet, 2, fan, 1977, false, 10},
    {"Piper", "PA-28-140", single, 1, rec, 1964, false, 180},
    {"Piper", "PA-28-161", single, 1, rec, 1977, false, 110},
    {"Piper", "PA-28-180", single, 1, rec, 1962, false, 110},
    {"Piper", "PA-28-181", single, 1, rec, 1976, false, 100},
    {"Piper", "PA-18", single, 1, rec, 1949, false, 110},
    {"Piper", "PA-18-150", single, 1, rec, 1953, false, 110},
    {"Piper", "PA-38-112", single, 1, rec, 1978, false, 90},
    {"Piper", "PA-32-300", single, 1, rec, 1966, false, 70},
    {"Piper", "PA-24-250", single, 1, rec, 1958, false, 70},
    {"Piper", "PA-28R-200", single, 1, rec, 1969, false, 60},
    {"Piper", "PA-12", single, 1, rec, 1946, false, 60},
    {"Piper", "J3C-65", single, 1, rec, 1938, false, 40},
    {"Piper", "PA-46-350P", single, 1, rec, 1989, false, 30},
    {"Piper", "PA-25-235", agricultural, 1, rec, 1962, false, 50},
    {"Piper", "PA-23-250", twin, 2, rec, 1958, false, 60},
    {"Piper", "PA-31-350", twin, 2, rec, 1973, false, 50},
    {"Piper", "PA-34-200T", twin, 2, rec, 1975, false, 40},
    {"Beech", "A36", single, 1, rec, 1970, false, 80},
    {"Beech", "V35B", single, 1, rec, 1970, false, 60},
    {"Beech", "35", single, 1, rec, 1947, false, 40},
    {"Beech", "58", twin, 2, rec, 1970, false, 50},
    {"Beech", "E55", twin, 2, rec, 1970, false, 20},
    {"Beech", "C90", turboprop, 2, prop, 1971, false, 30},
    {"Beech", "B200", turboprop, 2, prop, 1981, false, 20},
    {"Beech", "1900D", turboprop, 2, prop, 1991, false, 10},
    {"Mooney", "M20J", single, 1, rec, 1977, false, 50},
    {"Mooney", "M20C", single, 1, rec, 1962, false, 40},
    {"Mooney", "M20K", single, 1, rec, 1979, false, 20},
    {"Grumman", "G-164A", agricultural, 1, rec, 1958, false, 70},
    {"Grumman", "AA-1B", single, 1, rec, 1971, false, 30},
    {"Grumman American", "AA-5B", single, 1, rec, 1974, false, 20},
    {"Air Tractor", "AT-502B", agricultural, 1, prop, 1987, false, 50},
    {"Air Tractor", "AT-802A", agricultural, 1, prop, 1993, false, 20},
    {"Bell", "206B", turbine_helicopter, 1, shaft, 1971, false, 100},
    {"Bell", "47G-2", helicopter, 1, rec, 1953, false, 50},
    {"Bell", "206L-1", turbine_helicopter, 1, shaft, 1978, false, 40},
    {"Bell", "407", turbine_helicopter, 1, shaft, 1996, false, 20},
    {"Robinson", "R22", helicopter, 1, rec, 1979, false, 80},
    {"Robinson", "R22 BETA", helicopter, 1, rec, 1985, false, 50},
    {"Robinson", "R44", helicopter, 1, rec, 1993, false, 90},
    {"Robinson", "R44 II", helicopter, 1, rec, 2002, false, 60},
    {"Robinson", "R66", turbine_helicopter, 1, shaft, 2011, false, 20},
    {"Hughes", "369D", turbine_helicopter, 1, shaft, 1976, false, 40},
    {"Hughes", "269A", helicopter, 1, rec, 1961, false, 30},
    {"Schweizer", "269C", helicopter, 1, rec, 1983, false, 20},
    {"Aerospatiale", "AS350B2", turbine_helicopter, 1, shaft, 1989, false, 30},
    {"Boeing", "737", airliner, 2, fan, 1968, false, 40},
    {"Boeing", "737-7H4", airliner, 2, fan, 1998, false, 20},
    {"Boeing", "727-200", airliner, 3, fan, 1968, false, 10},
    {"Boeing", "747-400", airliner, 4, fan, 1989, false, 10},
    {"Boeing", "757-200", airliner, 2, fan, 1983, false, 10},
    {"Boeing", "777-200ER", airliner, 2, fan, 1995, false, 5},
    {"McDonnell Douglas", "DC-9-82", airliner, 2, fan, 1980, false, 10},
    {"McDonnell Douglas", "MD-88", airliner, 2, fan, 1988, false, 10},
    {"Airbus", "A320", airliner, 2, fan, 1988, false, 15},
    {"Embraer", "EMB-145", airliner, 2, fan, 1997, false, 5},
    {"Bombardier", "CL-600-2B19", airliner, 2, fan, 1992, false, 10},
    {"de Havilland", "DHC-2", single, 1, rec, 1948, false, 30},
    {"de Havilland", "DHC-6-300", turboprop, 2, prop, 1969, false, 10},
    {"Aeronca", "7AC", single, 1, rec, 1946, false, 50},
    {"Luscombe", "8A", single, 1, rec, 1946, false, 40},
    {"Stinson", "108-3", single, 1, rec, 1948, false, 20},
    {"Taylorcraft", "BC-12D", single, 1, rec, 1946, false, 30},
    {"Champion", "7ECA", single, 1, rec, 1964, false, 30},
    {"Maule", "M-7-235", single, 1, rec, 1984, false, 30},
    {"Bellanca", "17-30A", single, 1, rec, 1970, false, 20},
    {"American Champion Aircraft", "8GCBC", single, 1, rec, 1990, false, 20},
    {"Cirrus Design Corp", "SR22", single, 1, rec, 2001, false, 60},
    {"Learjet", "35A", business_jet, 2, fan, 1976, false, 10},
    {"Schweizer", "SGS 2-33A", glider, 0, "", 1967, false, 30},
    {"Schleicher", "ASK 21", glider, 0, "", 1980, false, 10},
    {"Cameron", "O-105", balloon, 0, "", 1975, false, 15},
    {"Raven", "RX-7", balloon, 0, "", 1970, false, 10},
    {"Vans", "RV-6", homebuilt, 1, rec, 1986, true, 40},
    {"Vans", "RV-7A", homebuilt, 1, rec, 2002, true, 30},
    {"Rutan", "Long-EZ", homebuilt, 1, rec, 1980, true, 15},
    {"Rotorway", "EXEC 162F", helicopter, 1, rec, 1990, true, 10},
    {"Air Command", "532 ELITE", gyroplane, 1, rec, 1985, true, 10},
}};

constexpr std::size_t stinson = 83;
static_assert(aircraft[stinson].since <= years.front().value);

struct Place {
    string_view city;
    string_view region; // the state, or the country abroad
    std::int32_t lat;
    std::int32_t lon;
};

struct UsPlace {
    Place place;
    string_view airport_code;
    string_view airport_name;
    unsigned weight;
};

struct ForeignPlace {
    Place place;
    string_view registration_prefix;
    string_view registration_shape; // as in n_numbers
    unsigned weight;
};

constexpr std::array<UsPlace, 66> us_places = {{
    {{"Anchorage", "AK", micro(61.2181), micro(-149.9003)}, "MRI", "Merrill Field", 30},
    {{"Fairbanks", "AK", micro(64.8378), micro(-147.7164)}, "FAI", "Fairbanks Intl", 15},
    {{"Wasilla", "AK", micro(61.5814), micro(-149.4394)}, "IYS", "Wasilla", 10},
    {{"Juneau", "AK", micro(58.3019), micro(-134.4197)}, "JNU", "Juneau Intl", 8},
    {{"Phoenix", "AZ", micro(33.4484), micro(-112.0740)}, "DVT", "Phoenix Deer Valley", 30},
    {{"Scottsdale", "AZ", micro(33.4942), micro(-111.9261)}, "SDL", "Scottsdale", 15},
    {{"Tucson", "AZ", micro(32.2226), micro(-110.9747)}, "TUS", "Tucson Intl", 20},
    {{"Prescott", "AZ", micro(34.5400), micro(-112.4685)}, "PRC", "Ernest A. Love Field", 15},
    {{"Chandler", "AZ", micro(33.3062), micro(-111.8413)}, "CHD", "Chandler Muni", 10},
    {{"Los Angeles", "CA", micro(33.9416), micro(-118.4085)}, "LAX", "Los Angeles Intl", 25},
    {{"Van Nuys", "CA", micro(34.2098), micro(-118.4898)}, "VNY", "Van Nuys", 25},
    {{"San Diego", "CA", micro(32.8157), micro(-117.1394)}, "MYF", "Montgomery Field", 20},
    {{"Chino", "CA", micro(33.9747), micro(-117.6366)}, "CNO", "Chino", 20},
    {{"Bridgeport", "CA", micro(38.2557), micro(-119.2313)}, "", "", 5},
    {{"San Jose", "CA", micro(37.3639), micro(-121.9289)}, "RHV", "Reid-Hillview of Santa Clara County", 15},
    {{"Long Beach", "CA", micro(33.8177), micro(-118.1516)}, "LGB", "Long Beach /Daugherty Field/", 15},
    {{"Denver", "CO", micro(39.5701), micro(-104.8493)}, "APA", "Centennial", 25},
    {{"Erie", "CO", micro(40.0103), micro(-105.0481)}, "EIK", "Erie Muni", 10},
    {{"Miami", "FL", micro(25.6479), micro(-80.4328)}, "TMB", "Kendall-Tamiami Executive", 30},
    {{"Orlando", "FL", micro(28.5455), micro(-81.3329)}, "ORL", "Orlando Executive", 20},
    {{"Punta Gorda", "FL", micro(26.9202), micro(-81.9905)}, "PGD", "Punta Gorda", 10},
    {{"Jacksonville", "FL", micro(30.3322), micro(-81.6557)}, "JAX", "Jacksonville Intl", 15},
    {{"Atlanta", "GA", micro(33.8756), micro(-84.3020)}, "PDK", "Dekalb-Peachtree", 20},
    {{"Honolulu", "HI", micro(21.3187), micro(-157.9225)}, "HNL", "Honolulu Intl", 10},
    {{"Boise", "ID", micro(43.5644), micro(-116.2228)}, "BOI", "Boise Air Terminal", 10},
    {{"Moose Creek", "ID", micro(46.1254), micro(-114.9193)}, "", "", 5},
    {{"Chicago", "IL", micro(41.9786), micro(-87.9048)}, "ORD", "Chicago O'Hare Intl", 15},
    {{"Valparaiso", "IN", micro(41.4540), micro(-87.0071)}, "VPZ", "Porter County Rgnl", 5},
    {{"Wichita", "KS", micro(37.6499), micro(-97.4331)}, "ICT", "Wichita Mid-Continent", 10},
    {{"Louisville", "KY", micro(38.2281), micro(-85.6636)}, "LOU", "Bowman Field", 10},
    {{"Lafayette", "LA", micro(30.2053), micro(-91.9876)}, "LFT", "Lafayette Rgnl", 10},
    {{"Bedford", "MA", micro(42.4700), micro(-71.2890)}, "BED", "Laurence G Hanscom Fld", 10},
    {{"Frederick", "MD", micro(39.4176), micro(-77.3743)}, "FDK", "Frederick Muni", 10},
    {{"Pontiac", "MI", micro(42.6655), micro(-83.4185)}, "PTK", "Oakland County Intl", 10},
    {{"Minneapolis", "MN", micro(44.8272), micro(-93.4571)}, "FCM", "Flying Cloud", 10},
    {{"St. Louis", "MO", micro(38.6621), micro(-90.6520)}, "SUS", "Spirit of St. Louis", 10},
    {{"Jackson", "MS", micro(32.3112), micro(-90.0759)}, "JAN", "Jackson Intl", 5},
    {{"Kalispell", "MT", micro(48.3105), micro(-114.2560)}, "GPI", "Glacier Park Intl", 5},
    {{"Charlotte", "NC", micro(35.2140), micro(-80.9431)}, "CLT", "Charlotte/Douglas Intl", 10},
    {{"Bismarck", "ND", micro(46.7727), micro(-100.7460)}, "BIS", "Bismarck Muni", 5},
    {{"Omaha", "NE", micro(41.3032), micro(-95.8941)}, "OMA", "Eppley Airfield", 5},
    {{"Teterboro", "NJ", micro(40.8501), micro(-74.0608)}, "TEB", "Teterboro", 10},
    {{"Albuquerque", "NM", micro(35.0402), micro(-106.6090)}, "ABQ", "Albuquerque Intl Sunport", 15},
    {{"Moriarty", "NM", micro(34.9780), micro(-106.0000)}, "0E0", "Moriarty Muni", 5},
    {{"Las Vegas", "NV", micro(36.2107), micro(-115.1945)}, "VGT", "North Las Vegas", 20},
    {{"Reno", "NV", micro(39.4991), micro(-119.7681)}, "RNO", "Reno/Tahoe Intl", 10},
    {{"Farmingdale", "NY", micro(40.7288), micro(-73.4134)}, "FRG", "Republic", 10},
    {{"Columbus", "OH", micro(40.0798), micro(-83.0730)}, "OSU", "Ohio State University", 10},
    {{"Tulsa", "OK", micro(36.0396), micro(-95.9846)}, "RVS", "Richard Lloyd Jones Jr", 10},
    {{"Oklahoma City", "OK", micro(35.5342), micro(-97.6471)}, "PWA", "Wiley Post", 10},
    {{"Bend", "OR", micro(44.0946), micro(-121.2003)}, "BDN", "Bend Muni", 5},
    {{"Quakertown", "PA", micro(40.4353), micro(-75.3819)}, "UKT", "Quakertown", 5},
    {{"Greenville", "SC", micro(34.8479), micro(-82.3500)}, "GMU", "Greenville Downtown", 5},
    {{"Nashville", "TN", micro(36.1824), micro(-86.8867)}, "JWN", "John C Tune", 10},
    {{"Houston", "TX", micro(30.0618), micro(-95.5528)}, "DWH", "David Wayne Hooks Memorial", 30},
    {{"Fort Worth", "TX", micro(32.8198), micro(-97.3624)}, "FTW", "Fort Worth Meacham Intl", 15},
    {{"Addison", "TX", micro(32.9686), micro(-96.8364)}, "ADS", "Addison", 10},
    {{"Lubbock", "TX", micro(33.6636), micro(-101.8228)}, "LBB", "Lubbock Preston Smith Intl", 10},
    {{"San Antonio", "TX", micro(29.5337), micro(-98.4698)}, "SAT", "San Antonio Intl", 15},
    {{"Salt Lake City", "UT", micro(40.7884), micro(-111.9778)}, "SLC", "Salt Lake City Intl", 10},
    {{"Saltville", "VA", micro(36.8815), micro(-81.7618)}, "", "", 3},
    {{"Seattle", "WA", micro(47.5300), micro(-122.3019)}, "BFI", "Boeing Field/King County Intl", 15},
    {{"Pullman", "WA", micro(46.7439), micro(-117.1096)}, "PUW", "Pullman/Moscow Rgnl", 5},
    {{"Oshkosh", "WI", micro(43.9844), micro(-88.5570)}, "OSH", "Wittman Rgnl", 10},
    {{"Hartford", "WI", micro(43.3493), micro(-88.3911)}, "HXF", "Hartford Muni", 5},
    {{"Casper", "WY", micro(42.9080), micro(-106.4644)}, "CPR", "Casper/Natrona County Intl", 5},
}};

// The office that investigated in a state: a field office until 2010, then a region.
struct Office {
    string_view state;
    string_view before_2010;
    string_view since_2010;
};

constexpr std::array<Office, 39> offices = {{
    {"AK", "ANC", "ANC"}, {"AZ", "LAX", "WPR"}, {"CA", "LAX", "WPR"}, {"CO", "DEN", "CEN"}, {"FL", "MIA", "ERA"},
    {"GA", "ATL", "ERA"}, {"HI", "LAX", "WPR"}, {"ID", "SEA", "WPR"}, {"IL", "CHI", "CEN"}, {"IN", "CHI", "CEN"},
    {"KS", "MKC", "CEN"}, {"KY", "CHI", "ERA"}, {"LA", "FTW", "CEN"}, {"MA", "NYC", "ERA"}, {"MD", "IAD", "ERA"},
    {"MI", "CHI", "CEN"}, {"MN", "CHI", "CEN"}, {"MO", "MKC", "CEN"}, {"MS", "ATL", "ERA"}, {"MT", "SEA", "WPR"},
    {"NC", "ATL", "ERA"}, {"ND", "DEN", "CEN"}, {"NE", "DEN", "CEN"}, {"NJ", "NYC", "ERA"}, {"NM", "FTW", "CEN"},
    {"NV", "LAX", "WPR"}, {"NY", "NYC", "ERA"}, {"OH", "CHI", "ERA"}, {"OK", "FTW", "CEN"}, {"OR", "SEA", "WPR"},
    {"PA", "NYC", "ERA"}, {"SC", "ATL", "ERA"}, {"TN", "ATL", "ERA"}, {"TX", "FTW", "CEN"}, {"UT", "DEN", "WPR"},
    {"VA", "IAD", "ERA"}, {"WA", "SEA", "WPR"}, {"WI", "CHI", "CEN"}, {"WY", "DEN", "WPR"},
}};

constexpr const Office* office_of(string_view state) {
    for (const Office& o : offices) {
        if (o.state == state) {
            return &o;
        }
    }
    return nullptr;
}

constexpr bool every_state_has_an_office() {
    for (const UsPlace& p : us_places) {
        if (office_of(p.place.region) == nullptr) {
            return false;
        }
    }
    return true;
}
static_assert(every_state_has_an_office());

constexpr std::array<ForeignPlace, 24> foreign_places = {{
    {{"Zürich", "Switzerland", micro(47.4582), micro(8.5555)}, "HB-", "AAA", 10},
    {{"Vancouver", "Canada", micro(49.1947), micro(-123.1792)}, "C-G", "AAA", 25},
    {{"Montréal", "Canada", micro(45.4706), micro(-73.7408)}, "C-F", "AAA", 15},
    {{"São Paulo", "Brazil", micro(-23.6273), micro(-46.6566)}, "PT-", "AAA", 20},
    {{"Cancún", "Mexico", micro(21.0365), micro(-86.8771)}, "XA-", "AAA", 15},
    {{"Guadalajara", "Mexico", micro(20.5218), micro(-103.3112)}, "XB-", "AAA", 10},
    {{"Nassau", "Bahamas", micro(25.0390), micro(-77.4662)}, "C6", "AAA", 15},
    {{"London", "United Kingdom", micro(51.4700), micro(-0.4543)}, "G-", "AAAA", 15},
    {{"Köln", "Germany", micro(50.8659), micro(7.1427)}, "D-E", "AAA", 10},
    {{"Paris", "France", micro(48.7262), micro(2.3652)}, "F-G", "AAA", 12},
    {{"Málaga", "Spain", micro(36.6749), micro(-4.4991)}, "EC-", "AAA", 8},
    {{"Bogotá", "Colombia", micro(4.7016), micro(-74.1469)}, "HK", "9999", 10},
    {{"Reykjavík", "Iceland", micro(64.1300), micro(-21.9406)}, "TF-", "AAA", 4},
    {{"Sydney", "Australia", micro(-33.9399), micro(151.1753)}, "VH-", "AAA", 15},
    {{"Auckland", "New Zealand", micro(-37.0082), micro(174.7850)}, "ZK-", "AAA", 6},
    {{"Tokyo", "Japan", micro(35.5494), micro(139.7798)}, "JA", "9999", 8},
    {{"Jakarta", "Indonesia", micro(-6.1256), micro(106.6559)}, "PK-", "AAA", 6},
    {{"Caracas", "Venezuela", micro(10.6031), micro(-66.9906)}, "YV", "9999", 8},
    {{"Buenos Aires", "Argentina", micro(-34.5592), micro(-58.4156)}, "LV-", "AAA", 8},
    {{"Quito", "Ecuador", micro(-0.1292), micro(-78.3575)}, "HC-", "AAA", 6},
    {{"Nairobi", "Kenya", micro(-1.3192), micro(36.9278)}, "5Y-", "AAA", 4},
    {{"Milano", "Italy", micro(45.6306), micro(8.7281)}, "I-", "AAAA", 8},
    {{"Gdańsk", "Poland", micro(54.3776), micro(18.4662)}, "SP-", "AAA", 4},
    {{"Tromsø", "Norway", micro(69.6833), micro(18.9189)}, "LN-", "AAA", 3},
}};

constexpr std::array<Weighted<std::array<string_view, 2>>, 5> other_airports = {{
    {{"PVT", "Private Airstrip"}, 30},
    {{"NONE", "NONE"}, 30},
    {{"", "PRIVATE STRIP"}, 15},
    {{"PVT", "PRIVATE"}, 15},
    {{"N/A", "N/A"}, 10},
}};

// '#' a digit 1-9, '9' a digit, 'A' a letter as N-numbers use them (no I or O).
constexpr std::array<Weighted<string_view>, 7> n_numbers = {{
    {"N#999A", 44},
    {"N#99AA", 20},
    {"N#9999", 17},
    {"N#9AA", 7},
    {"N#99A", 3},
    {"N#999", 2},
    {"N#AA", 1},
}};

constexpr std::array<Weighted<string_view>, 7> foreign_offices_before_2010 = {{
    {"DCA", 30},
    {"MIA", 20},
    {"LAX", 15},
    {"NYC", 10},
    {"SEA", 10},
    {"FTW", 10},
    {"ATL", 5},
}};

constexpr std::array<Weighted<string_view>, 4> foreign_offices_since_2010 = {{
    {"ERA", 35},
    {"CEN", 25},
    {"WPR", 25},
    {"GAA", 15},
}};

constexpr std::array<Weighted<string_view>, 12> airlines = {{
    {"United Airlines", 10},
    {"American Airlines", 10},
    {"Delta Air Lines Inc", 8},
    {"Southwest Airlines Co", 8},
    {"SkyWest Airlines", 5},
    {"Alaska Airlines", 4},
    {"CONTINENTAL AIRLINES", 5},
    {"US Airways Inc", 5},
    {"AMERICAN AIRLINES, INC.", 4},
    {"Northwest Airlines", 4},
    {"Federal Express Corporation", 3},
    {"Atlas Air Inc", 2},
}};

constexpr std::array<Weighted<string_view>, 8> operators = {{
    {"ERA HELICOPTERS LLC", 10},
    {"PHI Inc", 10},
    {"Air Methods Corp", 10},
    {"Grant Aviation", 5},
    {"Hageland Aviation Services, Inc.", 5},
    {"Wings Airways", 5},
    {"Pilot Training Inc", 5},
    {"Crop Care Inc", 5},
}};

constexpr std::array<Weighted<string_view>, 4> fatal_damage = {{
    {"Destroyed", 650},
    {"Substantial", 330},
    {"Unknown", 10},
    {"", 10},
}};
constexpr std::array<Weighted<string_view>, 5> accident_damage = {{
    {"Substantial", 880},
    {"Destroyed", 60},
    {"Minor", 35},
    {"Unknown", 5},
    {"", 20},
}};
constexpr std::array<Weighted<string_view>, 4> incident_damage = {{
    {"Minor", 550},
    {"", 350},
    {"Substantial", 50},
    {"Unknown", 50},
}};

constexpr std::array<Weighted<int>, 13> fatal_counts = {{
    {1, 450},
    {2, 270},
    {3, 85},
    {4, 60},
    {5, 20},
    {6, 12},
    {7, 5},
    {8, 4},
    {9, 2},
    {10, 2},
    {11, 1},
    {12, 1},
    {14, 1},
}};
constexpr std::array<Weighted<int>, 6> occupant_counts = {{{1, 450}, {2, 330}, {3, 100}, {4, 90}, {5, 20}, {6, 10}}};

constexpr std::array<Weighted<string_view>, 4> weather_fatal = {{{"VMC", 700}, {"IMC", 220}, {"UNK", 40}, {"", 40}}};
constexpr std::array<Weighted<string_view>, 4> weather_other = {{{"VMC", 900}, {"IMC", 50}, {"UNK", 20}, {"", 30}}};

// How records spell a maker's company name after its make (the rules of canonical values fold them).
constexpr std::array<Weighted<string_view>, 5> make_suffixes = {{
    {" Aircraft Co", 30},
    {" Aircraft Company", 20},
    {" Aircraft, Inc.", 20},
    {" Aircraft Corp.", 15},
    {" Inc", 15},
}};

constexpr std::array<string_view, 12> phases = {"Landing", "Takeoff", "Cruise",    "Maneuvering", "Approach", "Taxi",
                                                "Climb",   "Descent", "Go-around", "Standing",    "Unknown",  "Other"};
constexpr std::array<unsigned, 12> phase_weights_fatal = {40, 120, 260, 260, 150, 2, 60, 50, 20, 3, 30, 5};
constexpr std::array<unsigned, 12> phase_weights_other = {240, 190, 130, 120, 100, 30, 28, 27, 20, 15, 9, 2};

constexpr unsigned rotorcraft = bit(helicopter) | bit(turbine_helicopter);
constexpr unsigned airplanes = bit(single) | bit(twin) | bit(turboprop) | bit(homebuilt) | bit(business_jet);
constexpr unsigned pistons = bit(single) | bit(twin) | bit(homebuilt) | bit(agricultural) | bit(helicopter);

// Probable causes are written as the NTSB words them, from parts: what someone did (or failed to
// do), when, and what it resulted in; or the loss of engine power and its reason; or the part that
// failed and what followed. Each part fits the kinds of aircraft in its mask (0: any).
struct Act {
    string_view text; // "failure to maintain directional control"; a whole subject when it starts with "The "
    unsigned kinds;
    unsigned weight;
    std::array<string_view, 3> whens;    // "during the landing roll"; empty ones are skipped
    std::array<string_view, 3> outcomes; // "a runway excursion"
    bool paired = false;                 // the outcome is the one at the when's place
};

constexpr std::array<Weighted<string_view>, 4> actors = {
    {{"The pilot's", 80}, {"The student pilot's", 12}, {"The private pilot's", 4}, {"The commercial pilot's", 4}}};

constexpr std::array<Act, 16> acts = {{
    {"failure to maintain directional control",
     0,
     30,
     {"during the landing roll", "during the takeoff roll", "while landing in a gusting crosswind"},
     {"a runway excursion", "a ground loop", "a loss of control and a collision with a runway sign"}},
    {"failure to maintain adequate airspeed",
     airplanes | bit(glider),
     20,
     {"during the approach", "while maneuvering at low altitude", "during the initial climb"},
     {"an exceedance of the airplane's critical angle of attack and an aerodynamic stall",
      "an aerodynamic stall and a loss of control", "an inadvertent stall and spin"}},
    {"improper landing flare",
     airplanes | bit(glider),
     15,
     {"", "in gusting wind conditions", "during a night landing"},
     {"a hard landing", "a bounced landing and a nose gear collapse",
      "a porpoise and substantial damage to the firewall"}},
    {"decision to continue visual flight into instrument meteorological conditions",
     0,
     12,
     {"", "at night", "over mountainous terrain"},
     {"spatial disorientation and a loss of control", "a controlled flight into terrain",
      "a loss of control and an in-flight breakup"}},
    {"failure to maintain clearance from",
     0,
     12,
     {"terrain while maneuvering at low altitude", "trees during the approach", "power lines while maneuvering"},
     {"a collision with terrain", "a collision with trees", "a wire strike"},
     true},
    {"improper fuel management",
     airplanes | rotorcraft | bit(agricultural),
     12,
     {"", "during cruise flight", "during the approach"},
     {"a total loss of engine power due to fuel exhaustion", "fuel starvation and a total loss of engine power",
      "a loss of engine power due to fuel starvation"}},
    {"inadequate preflight inspection",
     0,
     10,
     {"", "", ""},
     {"the undetected water contamination of the fuel and a partial loss of engine power",
      "a takeoff with the control lock installed", "a loss of engine power due to fuel exhaustion"}},
    {"inadequate preflight planning",
     0,
     8,
     {"", "for a flight at high density altitude", "for a night cross-country flight"},
     {"fuel exhaustion and a forced landing", "the airplane's inability to climb above rising terrain",
      "a continued flight into icing conditions and a loss of control"}},
    {"delayed \"go-around\" decision",
     airplanes,
     8,
     {"", "during a landing with a tailwind", "after a long, fast approach"},
     {"a collision with trees beyond the departure end of the runway", "a runway overrun", "a collision with a fence"}},
    {"improper recovery from a bounced landing",
     airplanes,
     8,
     {"", "", "in a gusting crosswind"},
     {"a porpoise and a nose gear collapse", "a loss of control and a nose-over", "a hard landing"}},
    {"failure to extend the landing gear before landing",
     bit(twin) | bit(turboprop) | bit(business_jet),
     6,
     {"", "after a distraction in the traffic pattern", ""},
     {"a \"gear-up\" landing", "a \"gear-up\" landing and damage to the fuselage", "a wheels-up landing"}},
    {"failure to maintain main rotor rpm",
     rotorcraft,
     12,
     {"during an autorotation", "during a practice autorotation", "while hovering at a high density altitude"},
     {"a hard landing", "a main rotor blade strike on the tailboom", "a dynamic rollover"}},
    {"failure to maintain yaw control",
     rotorcraft,
     8,
     {"while hovering in a quartering tailwind", "during a downwind approach", ""},
     {"a loss of tail rotor effectiveness", "an uncommanded yaw and a loss of control", "a hard landing"}},
    {"failure to use carburetor heat",
     pistons,
     8,
     {"during the descent", "in conditions conducive to serious carburetor icing", "during cruise flight"},
     {"a partial loss of engine power due to carburetor icing", "a total loss of engine power due to carburetor icing",
      "carburetor icing and a forced landing in a field"}},
    {"The flight instructor's inadequate supervision of the student pilot's landing flare",
     airplanes | rotorcraft,
     6,
     {"", "", ""},
     {"a hard landing", "a bounced landing and a loss of control", "a nose gear collapse"}},
    {"The mechanic's improper installation of the",
     0,
     5,
     {"aileron control cables", "fuel selector valve", "oil filter adapter"},
     {"a loss of roll control", "fuel starvation and a total loss of engine power",
      "an oil leak and a total loss of engine power"},
     true},
}};

// "A total loss of engine power due to REASON[, FOLLOW]."
struct PowerLoss {
    string_view reason;
    unsigned kinds;
    unsigned weight;
    std::array<string_view, 2> follows;
};

constexpr std::array<PowerLoss, 7> power_losses = {{
    {"fuel exhaustion",
     0,
     20,
     {"as a result of the pilot's inadequate preflight planning",
      "as a result of the pilot's improper fuel management"}},
    {"fuel starvation",
     0,
     10,
     {"as a result of the pilot's improper positioning of the fuel selector",
      "which resulted in a forced landing in a field"}},
    {"carburetor icing",
     pistons,
     10,
     {"and the pilot's failure to use carburetor heat", "which resulted in a forced landing on a road"}},
    {"water contamination of the fuel",
     0,
     5,
     {"as a result of the pilot's inadequate preflight inspection", "which resulted in a forced landing in trees"}},
    {"the fatigue fracture of a connecting rod",
     pistons,
     5,
     {"which resulted in a forced landing in a field", "as a result of the operator's inadequate maintenance"}},
    {"a fractured crankshaft",
     pistons,
     4,
     {"which resulted in a forced landing in water", "which resulted in a forced landing on a golf course"}},
    {"reasons that could not be determined because postaccident examination revealed no mechanical malfunctions",
     0,
     12,
     {"as described in the report", "as described in the report"}},
}};

// "The FAILURE of the PART, which resulted in OUTCOME."
struct PartFailure {
    string_view part;
    unsigned kinds;
    unsigned weight;
    string_view outcome;
};

constexpr std::array<Weighted<string_view>, 3> failures = {
    {{"fatigue failure", 60}, {"corrosion-induced failure", 25}, {"overstress failure", 15}}};

constexpr std::array<PartFailure, 5> part_failures = {{
    {"left main landing gear \"trunnion\"", 0, 10, "a gear collapse during landing"},
    {"nose landing gear steering link", airplanes, 6, "a loss of directional control during the landing roll"},
    {"elevator trim cable", airplanes, 4, "a loss of pitch control"},
    {"tail rotor drive shaft", rotorcraft, 6, "a loss of tail rotor thrust and an autorotation"},
    {"right wing lift strut attach fitting", bit(single) | bit(agricultural) | bit(homebuilt), 4,
     "an in-flight separation of the wing"},
}};

template <class Item> bool fits(const Item& item, Kind kind) {
    return item.kinds == 0 || (item.kinds & bit(kind)) != 0;
}

constexpr std::array<Weighted<string_view>, 10> contributing = {{
    {"Contributing to the accident was the gusting crosswind.", 30},
    {"Contributing to the accident was the tailwind.", 15},
    {"Contributing to the accident were the high density altitude and the airplane's gross weight.", 15},
    {"Contributing to the accident was the pilot's lack of experience in icing conditions.", 10},
    {"Contributing to the accident was the pilot's inadequate preflight planning.", 15},
    {"Contributing to the accident were the pilot's fatigue, his lack of recent experience in the airplane make "
     "and model, and the dark night conditions.",
     15},
    {"Contributing to the accident was the pilot's self-induced pressure to complete the flight.", 15},
    {"Contributing to the accident was the operator's inadequate maintenance of the fuel system.", 10},
    {"Contributing to the accident was what a witness called the pilot's \"get-there-itis\", his desire to "
     "reach the destination before dark.",
     10},
    {"Contributing to the severity of the injuries was the pilot's failure to use the available shoulder "
     "harness.",
     10},
}};

constexpr std::array<Weighted<string_view>, 3> line_breaks = {{{"\n", 55}, {"\r\n", 40}, {"\r\n\r\n", 5}}};

class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    // The modulo bias is at most 2^-40 for the ranges used here, and the result is portable.
    std::uint64_t below(std::uint64_t n) { return engine_() % n; }

    int between(int low, int high) { return low + static_cast<int>(below(static_cast<std::uint64_t>(high - low) + 1)); }

    bool chance(unsigned per_mille) { return below(1000) < per_mille; }

    std::size_t index(std::span<const unsigned> weights) {
        auto r = below(std::accumulate(weights.begin(), weights.end(), std::uint64_t{0}));
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (r < weights[i]) {
                return i;
            }
            r -= weights[i];
        }
        return 0;
    }

    template <class Range> const auto& pick(const Range& items) {
        std::uint64_t total = 0;
        for (const auto& item : items) {
            total += item.weight;
        }
        auto r = below(total);
        for (const auto& item : items) {
            if (r < item.weight) {
                return item;
            }
            r -= item.weight;
        }
        return *std::begin(items);
    }

    template <class Range> auto value(const Range& items) { return pick(items).value; }

private:
    std::mt19937_64 engine_;
};

std::string ascii_upper(string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

// Largest-remainder apportionment of `rows` over the years, so the total is exact.
std::vector<std::size_t> rows_per_year(std::size_t rows) {
    std::uint64_t total = 0;
    for (const auto& y : years) {
        total += y.weight;
    }
    std::vector<std::size_t> counts(years.size());
    std::vector<std::uint64_t> remainders(years.size());
    std::size_t assigned = 0;
    for (std::size_t i = 0; i < years.size(); ++i) {
        const std::uint64_t share = std::uint64_t{rows} * years[i].weight;
        counts[i] = static_cast<std::size_t>(share / total);
        remainders[i] = share % total;
        assigned += counts[i];
    }
    std::vector<std::size_t> order(years.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
    for (std::size_t i = 0; assigned < rows; ++i, ++assigned) {
        ++counts[order[i]];
    }
    return counts;
}

std::string decimal_degrees(std::int32_t value, int decimals) {
    std::int64_t scale = 1;
    for (int i = decimals; i < 6; ++i) {
        scale *= 10;
    }
    const std::int64_t magnitude = (std::llabs(value) + scale / 2) / scale;
    std::int64_t unit = 1;
    for (int i = 0; i < decimals; ++i) {
        unit *= 10;
    }
    std::string text = fmt::format("{}{}.{:0{}}", value < 0 ? "-" : "", magnitude / unit, magnitude % unit, decimals);
    while (text.back() == '0') {
        text.pop_back();
    }
    if (text.back() == '.') {
        text.pop_back();
    }
    return text == "-0" ? "0" : text;
}

// DDMMSS[.s]H for a latitude, DDDMMSS[.s]H for a longitude (degree_digits 2 or 3).
std::string dms(std::int32_t value, int degree_digits, string_view hemispheres, bool tenths) {
    const char hemisphere = hemispheres[value < 0 ? 1 : 0];
    const std::int64_t magnitude = std::llabs(value);
    if (tenths) {
        const std::int64_t t = (magnitude * 36 + 500) / 1000;
        return fmt::format("{:0{}}{:02}{:02}.{}{}", t / 36000, degree_digits, t / 600 % 60, t % 600 / 10, t % 10,
                           hemisphere);
    }
    const std::int64_t s = (magnitude * 36 + 5000) / 10000;
    return fmt::format("{:0{}}{:02}{:02}{}", s / 3600, degree_digits, s / 60 % 60, s % 60, hemisphere);
}

class Record {
public:
    void add(string_view cell) {
        if (!first_) {
            text_.push_back(',');
        }
        first_ = false;
        append_csv_field(text_, cell);
    }

    void add_count(int value) { add(value < 0 ? std::string() : std::to_string(value)); }

    void write_to(std::ostream& out) {
        text_.push_back('\n');
        out.write(text_.data(), static_cast<std::streamsize>(text_.size()));
        text_.clear();
        first_ = true;
    }

private:
    std::string text_;
    bool first_ = true;
};

struct Injuries {
    int fatal = 0;
    int serious = 0;
    int minor = 0;
    int uninjured = 0;
};

class Generator {
public:
    Generator(std::ostream& out, std::uint64_t seed) : out_(out), random_(seed) {
        x_serial_ = 40000 + random_.below(5000);
        serial_ = 102000 + random_.below(1000);
    }

    void write(std::size_t rows) {
        out_.write(header.data(), static_cast<std::streamsize>(header.size()));
        const auto counts = rows_per_year(rows);
        std::vector<chr::sys_days> days;
        for (std::size_t i = 0; i < years.size(); ++i) {
            const chr::year year{years[i].value};
            days.clear();
            for (std::size_t n = 0; n < counts[i]; ++n) {
                const chr::month month{static_cast<unsigned>(random_.index(month_weights) + 1)};
                const auto last = static_cast<unsigned>(chr::year_month_day_last{year / month / chr::last}.day());
                days.push_back(chr::sys_days{year / month / chr::day{static_cast<unsigned>(random_.below(last) + 1)}});
            }
            std::sort(days.begin(), days.end());
            for (const auto day : days) {
                write_row(day);
            }
        }
    }

private:
    const Aircraft& pick_aircraft(int year) {
        for (int attempt = 0; attempt < 100; ++attempt) {
            const Aircraft& a = random_.pick(aircraft);
            if (a.since <= year) {
                return a;
            }
        }
        return aircraft[stinson];
    }

    std::string pattern(string_view prefix, string_view shape) {
        static constexpr string_view letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        std::string out(prefix);
        for (const char c : shape) {
            switch (c) {
            case '#': out.push_back(static_cast<char>('1' + random_.below(9))); break;
            case '9': out.push_back(static_cast<char>('0' + random_.below(10))); break;
            case 'A': out.push_back(letters[random_.below(letters.size())]); break;
            default: out.push_back(c);
            }
        }
        return out;
    }

    std::string event_id(chr::sys_days day, int year) {
        if (year <= 2000) {
            static constexpr std::array<Weighted<string_view>, 6> old = {{{"20001214", 30},
                                                                          {"20001213", 15},
                                                                          {"20001212", 15},
                                                                          {"20001211", 15},
                                                                          {"20001208", 15},
                                                                          {"20001218", 10}}};
            const string_view date = year == 1982 ? "20020917" : random_.value(old);
            x_serial_ = (x_serial_ + 1 + random_.below(2)) % 100000;
            return fmt::format("{}X{:05}", date, x_serial_);
        }
        const chr::year_month_day filed{day + chr::days{static_cast<int>(random_.below(4))}};
        const auto date = fmt::format("{:04}{:02}{:02}", static_cast<int>(filed.year()),
                                      static_cast<unsigned>(filed.month()), static_cast<unsigned>(filed.day()));
        if (year >= 2021) {
            serial_ += 1 + random_.below(7);
            return fmt::format("{}{}", date, serial_);
        }
        x_serial_ = (x_serial_ + 1 + random_.below(7)) % 100000;
        return fmt::format("{}X{:05}", date, x_serial_);
    }

    std::string accident_number(int year, const Office* office, Kind kind, bool incident, bool fatal) {
        string_view type = office == nullptr ? "WA" : incident ? "IA" : fatal ? "FA" : "LA";
        if (type == "LA" && year >= 2000 && random_.chance(250)) {
            type = "CA";
        }
        string_view code = office == nullptr ? (year < 2010 ? random_.value(foreign_offices_before_2010)
                                                            : random_.value(foreign_offices_since_2010))
                           : year < 2010     ? office->before_2010
                                             : office->since_2010;
        if (kind == airliner && random_.chance(700)) {
            code = "DCA";
        } else if (type == "CA" && year >= 2017 && random_.chance(600)) {
            code = "GAA";
        }
        const auto key = fmt::format("{}{:02}{}", code, year % 100, type);
        auto& sequence = sequences_[key];
        sequence += 1 + (random_.chance(100) ? static_cast<int>(random_.below(3)) : 0);
        return fmt::format("{}{:03}", key, sequence);
    }

    Injuries injuries(const Profile& profile, bool incident, bool fatal) {
        const bool airliner_row = profile.kind == airliner;
        const int seats = profile.seats + (profile.kind == single ? 2 : 0);
        int occupants = airliner_row ? random_.between(20, seats) : std::min(random_.value(occupant_counts), seats);
        Injuries result;
        if (fatal) {
            result.fatal = airliner_row ? random_.between(1, occupants) : std::min(random_.value(fatal_counts), seats);
            occupants = std::max(occupants, result.fatal);
        }
        const unsigned serious = incident ? 5 : airliner_row ? 10 : fatal ? 400 : 120;
        const unsigned minor = incident ? 30 : airliner_row ? 30 : fatal ? 200 : 180;
        for (int i = result.fatal; i < occupants; ++i) {
            const auto r = random_.below(1000);
            ++(r < serious ? result.serious : r < serious + minor ? result.minor : result.uninjured);
        }
        return result;
    }

    std::string coordinate(std::int32_t value, bool latitude, bool as_dms, bool tenths, int decimals) {
        if (!as_dms) {
            return decimal_degrees(value, decimals);
        }
        const int degree_digits = latitude ? 2 : (std::abs(value) < 100000000 && random_.chance(100) ? 2 : 3);
        return dms(value, degree_digits, latitude ? "NS" : "EW", tenths);
    }

    std::string garbled(std::int32_t value, bool latitude) {
        const int limit = latitude ? 90 : 180;
        switch (random_.below(3)) {
        case 0: return decimal_degrees(value + (value < 0 ? -1 : 1) * (limit + 1) * 1000000, 6);
        case 1: {
            const std::int64_t s = (std::llabs(value) * 36 + 5000) / 10000;
            return fmt::format("{:0{}}{}{:02}{}", s / 3600, latitude ? 2 : 3, random_.between(60, 99), s % 60,
                               (latitude ? "NS" : "EW")[value < 0 ? 1 : 0]);
        }
        default: return std::abs(value) > 1000000 ? std::to_string(value) : decimal_degrees((limit + 5) * 1000000, 6);
        }
    }

    template <class Items> const typename Items::value_type& pick_fitting(const Items& items, Kind kind) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            const auto& item = random_.pick(items);
            if (fits(item, kind)) {
                return item;
            }
        }
        return items[0]; // fits any kind
    }

    // A probable cause, worded as the NTSB does, from parts that fit the kind of aircraft.
    std::string narrative(Kind kind) {
        std::string text;
        const std::uint64_t form = random_.below(100);
        if (form < 60) {
            const Act& act = pick_fitting(acts, kind);
            const std::size_t at = random_.below(act.whens.size());
            const string_view when = act.whens[at];
            const string_view outcome = act.outcomes[act.paired ? at : random_.below(act.outcomes.size())];
            if (!act.text.starts_with("The ")) {
                text.append(random_.value(actors)).append(" ");
            }
            text.append(act.text);
            if (!when.empty()) {
                text.append(" ").append(when);
            }
            text.append(", which resulted in ").append(outcome).append(".");
        } else if (form < 85) {
            const PowerLoss& loss = pick_fitting(power_losses, kind);
            text.append(random_.chance(650) ? "A total" : "A partial");
            text.append(" loss of engine power due to ").append(loss.reason);
            text.append(", ").append(loss.follows[random_.below(loss.follows.size())]).append(".");
        } else {
            const PartFailure& part = pick_fitting(part_failures, kind);
            text.append("The ").append(random_.value(failures)).append(" of the ").append(part.part);
            text.append(", which resulted in ").append(part.outcome).append(".");
        }
        if (random_.chance(400)) {
            text += random_.value(line_breaks);
            text += random_.value(contributing);
        }
        return text;
    }

    std::string publication_date(chr::sys_days day, int year) {
        const unsigned empty = year == 2022 ? 250 : year < 1983 ? 250 : year < 1995 ? 200 : year < 2010 ? 100 : 50;
        if (random_.chance(empty)) {
            return {};
        }
        int delay = 0;
        if (year < 2001 && random_.chance(150)) {
            delay = random_.between(365, std::max(365, (2021 - year) * 365));
        } else {
            delay = random_.chance(900) ? random_.between(100, 700) : random_.between(5, 60);
        }
        const chr::sys_days last{chr::year{2022} / 12 / 31};
        const int room = static_cast<int>((last - day).count());
        if (delay > room) {
            delay = static_cast<int>(random_.below(static_cast<std::uint64_t>(room) + 1));
        }
        const chr::year_month_day published{day + chr::days{delay}};
        return fmt::format("{:02}-{:02}-{:04}", static_cast<unsigned>(published.day()),
                           static_cast<unsigned>(published.month()), static_cast<int>(published.year()));
    }

    void write_row(chr::sys_days day) {
        const chr::year_month_day ymd{day};
        const int year = static_cast<int>(ymd.year());
        const bool recent = year >= 2008;

        const bool foreign = random_.chance(150);
        const UsPlace* home = foreign ? nullptr : &random_.pick(us_places);
        const ForeignPlace* abroad = foreign ? &random_.pick(foreign_places) : nullptr;
        const Place& place = foreign ? abroad->place : home->place;
        const Aircraft& craft = pick_aircraft(year);
        const Profile& profile = profiles[static_cast<std::size_t>(craft.kind)];

        const bool incident = random_.chance(40);
        const unsigned fatal_rate = craft.kind == airliner ? 60 : craft.kind == balloon ? 80 : 190;
        const bool fatal = !incident && random_.chance(fatal_rate);
        const bool unavailable = !fatal && !incident && random_.chance(3);
        const Injuries injured = injuries(profile, incident, fatal);

        record_.add(event_id(day, year));
        record_.add(incident ? "Incident" : "Accident");
        record_.add(accident_number(year, foreign ? nullptr : office_of(place.region), craft.kind, incident, fatal));
        record_.add(fmt::format("{:04}-{:02}-{:02}", year, static_cast<unsigned>(ymd.month()),
                                static_cast<unsigned>(ymd.day())));

        const unsigned upper_rate = year < 1996 ? 950 : year < 2008 ? 300 : 50;
        const bool upper = !foreign && random_.chance(upper_rate);
        const auto location = fmt::format("{}, {}", place.city, place.region);
        record_.add(upper ? ascii_upper(location) : location);
        record_.add(foreign ? place.region : random_.chance(5) ? "" : "United States");

        write_coordinates(place, year);

        if (!foreign && random_.chance(550)) {
            const bool own = !home->airport_code.empty() && random_.chance(750);
            const auto& other = random_.value(other_airports);
            const string_view code = own ? home->airport_code : other[0];
            const string_view name = own ? home->airport_name : other[1];
            record_.add(random_.chance(50) ? "" : code);
            record_.add(random_.chance(80) ? std::string() : upper ? ascii_upper(name) : std::string(name));
        } else {
            record_.add("");
            record_.add(foreign || random_.chance(950) ? "" : "N/A");
        }

        const std::string severity =
            unavailable ? "Unavailable"
            : incident  ? "Incident"
            : fatal     ? (year >= 2021 ? std::string("Fatal") : fmt::format("Fatal({})", injured.fatal))
            : year >= 2021 && injured.serious > 0 && random_.chance(300) ? "Serious"
            : year >= 2021 && injured.minor > 0 && random_.chance(300)   ? "Minor"
                                                                         : "Non-Fatal";
        record_.add(severity);
        record_.add(incident ? random_.value(incident_damage)
                    : fatal  ? random_.value(fatal_damage)
                             : random_.value(accident_damage));

        const unsigned detailed = year == 1982   ? 990
                                  : year < 2004  ? (year < 1982 ? 150 : 30)
                                  : year < 2008  ? static_cast<unsigned>(300 + (year - 2004) * 85)
                                  : year == 2008 ? 870
                                                 : 970;
        const bool has_details = random_.chance(detailed);
        // the gyroplanes were recorded as Gyrocraft until the current release's newer records
        const string_view category = profile.category == "Gyrocraft" && recent ? "Gyroplane" : profile.category;
        record_.add(!has_details ? "" : random_.chance(3) ? "Unknown" : category);

        if (foreign && random_.chance(700)) {
            record_.add(pattern(abroad->registration_prefix, abroad->registration_shape));
        } else {
            record_.add(random_.chance(10) ? "" : random_.chance(3) ? "NONE" : pattern("", random_.value(n_numbers)));
        }
        const unsigned make_upper = recent ? 400 : 30;
        const bool make_in_capitals = random_.chance(make_upper);
        std::string make = make_in_capitals ? ascii_upper(craft.make) : std::string(craft.make);
        if (craft.make.find(' ') == string_view::npos && random_.chance(recent ? 15 : 4)) {
            // the company's name as some records write it (CESSNA AIRCRAFT CO, Piper Aircraft, Inc.)
            const string_view suffix = random_.value(make_suffixes);
            make += make_in_capitals ? ascii_upper(suffix) : std::string(suffix);
        }
        record_.add(make);
        std::string model(craft.model);
        if (model.find('-') != std::string::npos && random_.chance(30)) {
            // PA28-140 or PA 28 140 for PA-28-140
            const bool spaces = random_.chance(300);
            for (auto pos = model.find('-'); pos != std::string::npos; pos = model.find('-', pos + 1)) {
                if (spaces) {
                    model[pos] = ' ';
                } else {
                    model.erase(pos, 1);
                    break;
                }
            }
        }
        record_.add(model);
        record_.add(random_.chance(5) ? "" : craft.kit || random_.chance(10) ? "Yes" : "No");

        const bool engine_blank = random_.chance(year >= 2020 ? 250 : 40);
        record_.add_count(engine_blank ? -1 : craft.engines);
        record_.add(engine_blank || random_.chance(10)            ? ""
                    : random_.chance(20)                          ? "Unknown"
                    : craft.engine.empty() && random_.chance(300) ? "None"
                                                                  : craft.engine);

        const FarPart& far = foreign ? foreign_far_parts[random_.below(2)] : far_parts[random_.index(profile.far)];
        const bool short_far = recent && random_.chance(940);
        record_.add(!has_details ? "" : short_far ? far.code : far.description);
        const bool scheduled_part = far.code == "121" || far.code == "135";
        record_.add(far.code == "121"     ? (random_.chance(850)   ? "SCHD"
                                             : random_.chance(600) ? "NSCH"
                                                                   : "UNK")
                    : far.code == "135"   ? (random_.chance(600)   ? "NSCH"
                                             : random_.chance(600) ? "SCHD"
                                                                   : "UNK")
                    : random_.chance(900) ? ""
                    : random_.chance(500) ? "UNK"
                                          : "NSCH");
        const bool no_purpose = craft.kind == airliner ? random_.chance(800) : random_.chance(40);
        const string_view purpose = no_purpose ? "" : purposes[random_.index(profile.purpose)];
        record_.add(purpose == "Executive/corporate" && !recent ? "Executive/Corporate" : purpose); // 2019 spelling
        record_.add(far.code == "121" ? std::string(random_.value(airlines))
                    : (scheduled_part && random_.chance(400)) || random_.chance(10)
                        ? std::string(random_.value(operators))
                        : std::string());

        const unsigned blank = (year < 2001 ? 10 : 120) + (foreign ? 300 : 0);
        record_.add_count(unavailable || (!fatal && random_.chance(blank)) ? -1 : injured.fatal);
        for (const int count : {injured.serious, injured.minor, injured.uninjured}) {
            record_.add_count(unavailable || random_.chance(blank) ? -1 : count);
        }

        std::string weather(random_.value(fatal ? weather_fatal : weather_other));
        if (weather == "UNK" && recent && random_.chance(500)) {
            weather = "Unk";
        }
        record_.add(weather);
        const unsigned no_phase = year >= 2010 ? 850 : recent ? 400 : 5;
        const auto& phase_weights = fatal ? phase_weights_fatal : phase_weights_other;
        const string_view phase = random_.chance(no_phase) ? "" : phases[random_.index(phase_weights)];
        record_.add(!recent && random_.chance(950) ? ascii_upper(phase) : std::string(phase)); // LANDING before 2008

        const unsigned narrative_rate = recent ? 850 : 20;
        if (year == 2022 && random_.chance(350)) {
            record_.add("");
        } else if (foreign && random_.chance(600)) {
            record_.add("Foreign");
        } else if (random_.chance(narrative_rate)) {
            record_.add(narrative(craft.kind));
        } else {
            record_.add(year < 2019 || random_.chance(800) ? "Probable Cause"
                        : random_.chance(500)              ? "Factual"
                                                           : "Preliminary");
        }
        record_.add(publication_date(day, year));
        record_.write_to(out_);
    }

    void write_coordinates(const Place& place, int year) {
        const bool garble = random_.chance(1);
        const unsigned rate = year < 2001 ? 20 : year < 2005 ? 300 : 880;
        if (!garble && !random_.chance(rate)) {
            record_.add("");
            record_.add("");
            return;
        }
        const auto lat = std::clamp(place.lat + random_.between(-250000, 250000), -89999999, 89999999);
        const auto lon = std::clamp(place.lon + random_.between(-250000, 250000), -179999999, 179999999);
        const bool as_dms = random_.chance(year >= 2013 ? 750 : 250);
        const bool tenths = random_.chance(150);
        static constexpr std::array<unsigned, 7> decimal_weights = {0, 0, 50, 0, 50, 50, 850};
        const int decimals = static_cast<int>(random_.index(decimal_weights));
        std::string latitude = coordinate(lat, true, as_dms, tenths, decimals);
        std::string longitude = coordinate(lon, false, as_dms, tenths, decimals);
        if (garble) {
            if (random_.chance(500)) {
                latitude = garbled(lat, true);
            } else {
                longitude = garbled(lon, false);
            }
        } else if (random_.chance(3)) {
            longitude.clear();
        }
        record_.add(latitude);
        record_.add(longitude);
    }

    std::ostream& out_;
    Random random_;
    Record record_;
    std::uint64_t x_serial_ = 0;
    std::uint64_t serial_ = 0;
    std::unordered_map<std::string, int> sequences_;
};

} // namespace

void write_demo_datasheet(std::ostream& out, std::size_t rows, std::uint64_t seed) { Generator(out, seed).write(rows); }

} // namespace accidents::data
