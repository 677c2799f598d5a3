#include "data/canonical_rule.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "data/schema.hpp"

namespace accidents::data {
namespace {

const CanonicalRule& rule(std::string_view column) {
    const CanonicalRule* r = CanonicalRule::for_column(column_key(column));
    EXPECT_NE(r, nullptr) << column;
    return *r;
}

// The canonical value a spelling stands for: the reviewed value of its key, or the key itself.
std::string value_of(std::string_view column, std::string_view raw) {
    const CanonicalRule& r = rule(column);
    const std::string key = r.fold(raw);
    const ReviewedValue* reviewed = r.reviewed(key);
    return reviewed != nullptr ? reviewed->value : key;
}

TEST(CanonicalRule, TheReviewedTablesLoadWithoutContradiction) {
    // Loading checks them: a spelling the rules already fold, an alias of two values, an alias
    // leading to another alias or to no reviewed value all throw.
    EXPECT_NO_THROW(CanonicalRule::all());
    EXPECT_GE(CanonicalRule::all().size(), 13U);
}

TEST(CanonicalRule, TheColumnsOfTheIssueHaveCanonicalValuesAndTheOthersNot) {
    for (const auto* column :
         {"Make", "Model", "Injury.Severity", "Weather.Condition", "Broad.phase.of.flight", "Broad.Phase.of.Flight",
          "Aircraft.damage", "Aircraft.Damage", "Aircraft.Category", "Engine.Type", "Purpose.of.flight",
          "Purpose.of.Flight", "Amateur.Built", "Investigation.Type", "Schedule", "Country", "FAR.Description", "MAKE",
          "INJURY_SEVERITY"}) {
        EXPECT_NE(CanonicalRule::for_column(column_key(column)), nullptr) << column;
    }
    for (const auto* column : {"Event.Id", "Location", "Airport.Name", "Airport.Code", "Air.carrier",
                               "Registration.Number", "Publication.Date", "Report.Status"}) {
        EXPECT_EQ(CanonicalRule::for_column(column_key(column)), nullptr) << column;
    }
}

TEST(CanonicalRule, MakeFoldsCaseSpacingAndPunctuation) {
    const auto& make = rule("Make");
    EXPECT_EQ(make.fold("CESSNA"), "CESSNA");
    EXPECT_EQ(make.fold("Cessna"), "CESSNA");
    EXPECT_EQ(make.fold("  cessna "), "CESSNA");
    EXPECT_EQ(make.fold("de Havilland"), make.fold("DEHAVILLAND"));
    EXPECT_EQ(make.fold("DE HAVILLAND"), make.fold("De Havilland"));
    EXPECT_EQ(make.fold("Schempp-Hirth"), make.fold("SCHEMPP HIRTH"));
    EXPECT_EQ(make.fold("I.C.A. Brasov"), make.fold("ICA BRASOV"));
    EXPECT_EQ(make.fold("Van's Aircraft, Inc."), make.fold("VANS"));
    EXPECT_EQ(make.fold("THUNDER & COLT"), make.fold("Thunder and Colt"));
}

TEST(CanonicalRule, MakeDropsCorporateSuffixesButNeverTheLastWord) {
    const auto& make = rule("Make");
    for (const auto* spelling : {"CESSNA AIRCRAFT CO", "CESSNA AIRCRAFT COMPANY", "Cessna Aircraft Company",
                                 "CESSNA AIRCRAFT", "CESSNA Aircraft"}) {
        EXPECT_EQ(make.fold(spelling), "CESSNA") << spelling;
    }
    EXPECT_EQ(make.fold("PIPER AIRCRAFT INC"), "PIPER");
    EXPECT_EQ(make.fold("Piper Aircraft, Inc."), "PIPER");
    EXPECT_EQ(make.fold("PIPER AIRCRAFT CORPORATION"), "PIPER");
    EXPECT_EQ(make.fold("BOEING COMPANY"), "BOEING");
    EXPECT_EQ(make.fold("THE BOEING COMPANY"), "BOEING");
    EXPECT_EQ(make.fold("AIR TRACTOR INC"), "AIRTRACTOR");
    EXPECT_EQ(make.fold("MOONEY AIRPLANE CO INC"), "MOONEY");
    EXPECT_EQ(make.fold("FLIGHT DESIGN GMBH"), "FLIGHTDESIGN");
    EXPECT_EQ(make.fold("CZECH AIRCRAFT WORKS SPOL SRO"), "CZECHAIRCRAFTWORKS");
    EXPECT_EQ(make.fold("EMBRAER S.A."), "EMBRAER");
    EXPECT_EQ(make.fold("DIAMOND AIRCRAFT IND INC"), "DIAMOND");
    EXPECT_EQ(make.fold("EXTRA FLUGZEUGBAU GMBH"), "EXTRA");
    EXPECT_EQ(make.fold("AIRBUS INDUSTRIE"), "AIRBUS");
    // a suffix word alone is a name, and words inside a name stay
    EXPECT_EQ(make.fold("AIRCRAFT"), "AIRCRAFT");
    EXPECT_EQ(make.fold("CO"), "CO");
    EXPECT_EQ(make.fold("Inc Aircraft Works"), "INCAIRCRAFTWORKS");
    EXPECT_EQ(make.fold("THE"), "THE");
}

TEST(CanonicalRule, MakeDropsARemarkInParenthesesAndWritesAbbreviationsOut) {
    const auto& make = rule("Make");
    EXPECT_EQ(make.fold("American Champion (ACAC)"), make.fold("AMERICAN CHAMPION AIRCRAFT"));
    EXPECT_EQ(make.fold("Ercoupe (Eng & Research Corp.)"), "ERCOUPE");
    EXPECT_EQ(make.fold("Airbus Helicopters (Eurocopte"), make.fold("AIRBUS HELICOPTERS INC"));
    EXPECT_EQ(make.fold("SCHWEIZER(HUGHES)AIRCRAFT CORP"), "SCHWEIZER");
    EXPECT_EQ(make.fold("MCDONNELL DOUGLAS HELI CO"), make.fold("McDonnell Douglas Helicopters"));
    EXPECT_EQ(make.fold("SHORT BROS."), make.fold("Short Brothers"));
    EXPECT_EQ(make.fold("ROCKWELL INTL"), make.fold("Rockwell"));
}

TEST(CanonicalRule, MakeAliasesFoldReviewedSpellingsOfOneBrand) {
    EXPECT_EQ(value_of("Make", "ROBINSON HELICOPTER COMPANY"), "Robinson");
    EXPECT_EQ(value_of("Make", "Robinson"), "Robinson");
    EXPECT_EQ(value_of("Make", "CIRRUS DESIGN CORP"), "Cirrus");
    EXPECT_EQ(value_of("Make", "BELL HELICOPTER TEXTRON"), "Bell");
    EXPECT_EQ(value_of("Make", "Eurocopter France"), "Eurocopter");
    EXPECT_EQ(value_of("Make", "GATES LEARJET CORP."), "Learjet");
    EXPECT_EQ(value_of("Make", "BEECHCRAFT"), "Beech");
    EXPECT_EQ(value_of("Make", "CESSNA AIRCRAFT CO"), "Cessna");
    EXPECT_EQ(value_of("Make", "PIPER AIRCRAFT INC"), "Piper");
    EXPECT_EQ(value_of("Make", "BOEING COMPANY"), "Boeing");
    EXPECT_EQ(value_of("Make", "AIR TRACTOR INC"), "Air Tractor");
    EXPECT_EQ(value_of("Make", "DEHAVILLAND"), "de Havilland");
}

TEST(CanonicalRule, MakeKeepsDistinctManufacturersApart) {
    const auto& make = rule("Make");
    const auto apart = [&](std::string_view a, std::string_view b) {
        EXPECT_NE(make.fold(a), make.fold(b)) << a << " and " << b;
    };
    apart("GRUMMAN", "GRUMMAN AMERICAN");
    apart("GRUMMAN AMERICAN", "GULFSTREAM AMERICAN");
    apart("GULFSTREAM AMERICAN", "GULFSTREAM");
    apart("HUGHES", "MCDONNELL DOUGLAS HELICOPTER");
    apart("MCDONNELL DOUGLAS HELICOPTER", "MD HELICOPTERS INC");
    apart("MCDONNELL DOUGLAS", "MCDONNELL DOUGLAS HELICOPTER");
    apart("RAYTHEON AIRCRAFT COMPANY", "BEECH");
    apart("HAWKER BEECHCRAFT CORP", "BEECH");
    apart("CHAMPION", "AMERICAN CHAMPION");
    apart("AIRBUS", "AIRBUS HELICOPTERS");
    apart("EUROCOPTER", "AIRBUS HELICOPTERS");
    apart("Aerostar", "Smith, Ted Aerostar");
    apart("BOEING", "MCDONNELL DOUGLAS");
    apart("CANADAIR", "BOMBARDIER INC");
}

TEST(CanonicalRule, EveryAliasTargetIsAReviewedValueThatFoldsToItself) {
    for (const auto& r : CanonicalRule::all()) {
        std::set<std::string> values;
        for (const auto& key : r.reviewed_keys()) {
            const ReviewedValue* reviewed = r.reviewed(key);
            ASSERT_NE(reviewed, nullptr);
            EXPECT_EQ(r.fold(reviewed->value), key) << r.column() << ": " << reviewed->value;
            EXPECT_TRUE(values.insert(reviewed->value).second) << r.column() << ": " << reviewed->value;
        }
    }
}

TEST(CanonicalRule, ModelFoldsCaseSpacesAndHyphensOnly) {
    const auto& model = rule("Model");
    EXPECT_EQ(model.fold("PA-28-140"), "PA28140");
    EXPECT_EQ(model.fold("PA 28 140"), "PA28140");
    EXPECT_EQ(model.fold("pa28-140"), "PA28140");
    EXPECT_EQ(model.fold("172N"), model.fold("172 n"));
    EXPECT_NE(model.fold("172/N"), model.fold("172N")); // other punctuation is kept
    EXPECT_NE(model.fold("S.35"), model.fold("S35"));
}

TEST(CanonicalRule, InjurySeverityFoldsToItsLevel) {
    for (const auto* spelling : {"Fatal(1)", "Fatal(2)", "Fatal(154)", "Fatal", "FATAL", "fatal (3)"}) {
        EXPECT_EQ(value_of("Injury.Severity", spelling), "Fatal") << spelling;
    }
    EXPECT_EQ(value_of("Injury.Severity", "Non-Fatal"), "Non-Fatal");
    EXPECT_EQ(value_of("Injury.Severity", "NON FATAL"), "Non-Fatal");
    EXPECT_EQ(value_of("Injury.Severity", "Incident"), "Incident");
    EXPECT_EQ(value_of("Injury.Severity", "Serious"), "Serious");
    EXPECT_EQ(value_of("Injury.Severity", "Minor"), "Minor");
    EXPECT_EQ(value_of("Injury.Severity", "Unavailable"), "Unavailable");
    EXPECT_NE(value_of("Injury.Severity", "Fatalities"), "Fatal"); // only digits may follow
}

TEST(CanonicalRule, CodedColumnsFoldCaseAndPunctuationAndReadTheirCodes) {
    EXPECT_EQ(value_of("Broad.phase.of.flight", "LANDING"), "Landing");
    EXPECT_EQ(value_of("Broad.phase.of.flight", "Landing"), "Landing");
    EXPECT_EQ(value_of("Broad.phase.of.flight", "GO-AROUND"), "Go-around");
    EXPECT_EQ(value_of("Weather.Condition", "VMC"), "VMC");
    EXPECT_EQ(value_of("Weather.Condition", "vmc"), "VMC");
    EXPECT_EQ(value_of("Aircraft.Category", "WSFT"), "Weight-Shift");
    EXPECT_EQ(value_of("Aircraft.Category", "Gyrocraft"), "Gyroplane");
    EXPECT_EQ(value_of("Engine.Type", "REC"), "Reciprocating");
    EXPECT_EQ(value_of("Engine.Type", "TURBOFAN"), "Turbo Fan");
    EXPECT_EQ(value_of("Engine.Type", "NONE"), "None");
    EXPECT_EQ(value_of("Purpose.of.flight", "Executive/corporate"), "Executive/Corporate");
    EXPECT_EQ(value_of("Purpose.of.flight", "Air Race show"), "Air Race/Show");
    EXPECT_EQ(value_of("FAR.Description", "091"), "Part 91: General Aviation");
    EXPECT_EQ(value_of("Schedule", "SCHD"), "SCHD");
    EXPECT_EQ(value_of("Country", "ATLANTIC OCEAN"), value_of("Country", "Atlantic Ocean"));
}

TEST(CanonicalRule, ARecordedUnknownIsTheValueUnknownInEveryColumn) {
    for (const auto& r : CanonicalRule::all()) {
        for (const auto* spelling : {"UNK", "Unk", "unk", "UNKN", "Unknown", "UNKNOWN", "unknown"}) {
            const std::string key = r.fold(spelling);
            const ReviewedValue* reviewed = r.reviewed(key);
            ASSERT_NE(reviewed, nullptr) << r.column() << ": " << spelling;
            EXPECT_EQ(reviewed->value, "Unknown") << r.column() << ": " << spelling;
        }
    }
}

TEST(CanonicalRule, LabelsAreReadable) {
    const auto label = [](std::string_view column, std::string_view raw) {
        const CanonicalRule& r = rule(column);
        return r.reviewed(r.fold(raw))->label;
    };
    EXPECT_EQ(label("Weather.Condition", "VMC"), "Visual (VMC)");
    EXPECT_EQ(label("Weather.Condition", "IMC"), "Instrument (IMC)");
    EXPECT_EQ(label("Weather.Condition", "Unk"), "Unknown");
    EXPECT_EQ(label("Schedule", "NSCH"), "Non-scheduled (NSCH)");
    EXPECT_EQ(label("Make", "CESSNA"), "Cessna");
    EXPECT_EQ(label("Engine.Type", "Turbo Prop"), "Turboprop");
    EXPECT_EQ(label("Amateur.Built", "Yes"), "Amateur-built");
    EXPECT_EQ(label("Injury.Severity", "Fatal(3)"), "Fatal");
}

TEST(CanonicalRule, NonAsciiBytesArePartOfTheKey) {
    const auto& make = rule("Make");
    EXPECT_EQ(make.fold("Glasfl\xC3\xBCgel"), make.fold("GLASFL\xC3\xBCGEL"));
    EXPECT_NE(make.fold("Glasfl\xC3\xBCgel"), make.fold("Glasflugel"));
}

} // namespace
} // namespace accidents::data
