using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Portal.Domain.Datasets;

/// <summary>
/// Flags columns that look like personal data, by column name (keywords such as email, phone, surname, street,
/// dob, ssn, iban, age) and by the share of sampled values matching a pattern (e-mail, phone number, IBAN with a
/// mod-97 check, US SSN, UK NINO, postcodes, street addresses, common first names, dates that are plausible
/// birth dates). It only raises suspicion for review; it never classifies.
/// </summary>
public sealed partial class PersonalDataDetector
{
    /// <summary>Fewer non-missing sampled values than this are not judged by value (too little to go on).</summary>
    public const int MinimumSampleForValues = 3;

    private const double ValueShareThreshold = 0.5;
    private const double NameShareThreshold = 0.3;
    private const double BirthDateShareThreshold = 0.8;
    private const int BirthDateMinimumSpanYears = 10;

    private static readonly (string Keyword, PersonalDataKind Kind)[] NameKeywords =
    [
        ("email", PersonalDataKind.Email), ("mail", PersonalDataKind.Email), ("emailaddress", PersonalDataKind.Email),
        ("phone", PersonalDataKind.Phone), ("phonenumber", PersonalDataKind.Phone), ("mobile", PersonalDataKind.Phone),
        ("telephone", PersonalDataKind.Phone), ("tel", PersonalDataKind.Phone), ("cellphone", PersonalDataKind.Phone),
        ("fax", PersonalDataKind.Phone), ("msisdn", PersonalDataKind.Phone),
        ("firstname", PersonalDataKind.PersonName), ("lastname", PersonalDataKind.PersonName),
        ("surname", PersonalDataKind.PersonName), ("forename", PersonalDataKind.PersonName),
        ("givenname", PersonalDataKind.PersonName), ("familyname", PersonalDataKind.PersonName),
        ("fullname", PersonalDataKind.PersonName), ("middlename", PersonalDataKind.PersonName),
        ("maidenname", PersonalDataKind.PersonName),
        ("address", PersonalDataKind.Address), ("addr", PersonalDataKind.Address), ("street", PersonalDataKind.Address),
        ("city", PersonalDataKind.Address), ("town", PersonalDataKind.Address), ("housenumber", PersonalDataKind.Address),
        ("postcode", PersonalDataKind.Postcode), ("postalcode", PersonalDataKind.Postcode), ("zip", PersonalDataKind.Postcode),
        ("zipcode", PersonalDataKind.Postcode), ("plz", PersonalDataKind.Postcode),
        ("birth", PersonalDataKind.BirthDate), ("dob", PersonalDataKind.BirthDate), ("birthdate", PersonalDataKind.BirthDate),
        ("birthday", PersonalDataKind.BirthDate), ("dateofbirth", PersonalDataKind.BirthDate),
        ("age", PersonalDataKind.Age),
        ("ssn", PersonalDataKind.NationalId), ("nationalid", PersonalDataKind.NationalId), ("nino", PersonalDataKind.NationalId),
        ("nationalinsurance", PersonalDataKind.NationalId), ("socialsecurity", PersonalDataKind.NationalId),
        ("passport", PersonalDataKind.NationalId), ("taxid", PersonalDataKind.NationalId), ("idcard", PersonalDataKind.NationalId),
        ("iban", PersonalDataKind.BankAccount), ("account", PersonalDataKind.BankAccount),
        ("accountnumber", PersonalDataKind.BankAccount), ("bankaccount", PersonalDataKind.BankAccount),
    ];

    /// <summary>"name" preceded by one of these is not a person's name (product_name, file name, city name...).</summary>
    private static readonly HashSet<string> NonPersonNameQualifiers = new(StringComparer.Ordinal)
    {
        "product", "file", "company", "host", "domain", "table", "column", "model", "feature", "dataset", "brand",
        "item", "category", "project", "app", "application", "service", "device", "server", "class", "label", "field",
        "type", "business", "organisation", "organization", "org", "store", "shop", "team", "department", "dept",
        "city", "country", "street", "region", "state", "event", "job", "task", "metric", "sheet", "page", "course",
        "school", "bank", "path", "key", "tag", "group", "role", "plan", "variable", "var", "package", "queue",
    };

    private static readonly HashSet<string> CommonFirstNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "christopher",
        "daniel", "matthew", "anthony", "mark", "donald", "steven", "paul", "andrew", "joshua", "kevin", "brian", "george",
        "edward", "ronald", "timothy", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric", "jonathan",
        "stephen", "larry", "justin", "scott", "brandon", "benjamin", "samuel", "peter", "patrick", "alexander", "jack",
        "oliver", "harry", "noah", "liam", "lucas", "ethan", "adam", "tom", "bob", "sam", "max", "ben", "leon", "paul",
        "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "nancy",
        "lisa", "betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna", "michelle", "dorothy", "carol",
        "amanda", "melissa", "deborah", "stephanie", "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy", "anna",
        "emma", "olivia", "sophia", "sophie", "isabella", "mia", "charlotte", "amelia", "grace", "alice", "eve", "claire",
        "julia", "lena", "hannah", "lea", "marie", "maria", "laura", "sara", "clara", "ella", "lily", "chloe", "zoe",
        "hans", "jan", "klaus", "stefan", "andreas", "wolfgang", "jürgen", "juergen", "pierre", "jean", "louis", "marc",
        "luca", "marco", "giulia", "francesca", "carlos", "jose", "juan", "luis", "javier", "pablo", "ana", "carmen",
        "lucia", "pedro", "joao", "ahmed", "mohammed", "muhammad", "ali", "fatima", "omar", "yusuf", "wei", "li", "raj",
        "priya", "arjun", "ravi", "anil", "sanjay", "hiroshi", "yuki", "kenji", "sven", "lars", "erik", "ingrid", "astrid",
    };

    private readonly TimeProvider _timeProvider;

    public PersonalDataDetector(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Inspects a column by its header name and a sample of its non-missing values; null when nothing looks personal.
    /// </summary>
    public PersonalDataSuspicion? Inspect(string columnName, IReadOnlyList<string> sampledValues)
    {
        ArgumentNullException.ThrowIfNull(columnName);
        ArgumentNullException.ThrowIfNull(sampledValues);

        var evidence = new List<PersonalDataEvidence>();
        InspectName(columnName, evidence);
        var values = sampledValues.Where(v => !CellValues.IsMissing(v)).Select(v => v.Trim()).ToList();
        if (values.Count >= MinimumSampleForValues)
        {
            InspectValues(values, evidence);
        }

        return evidence.Count == 0 ? null : new PersonalDataSuspicion(evidence);
    }

    /// <summary>True when <paramref name="value"/> is an IBAN whose check digits verify (ISO 13616 mod-97 = 1); spaces are ignored.</summary>
    public static bool IsValidIban(string value)
    {
        var compact = value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (!IbanShape().IsMatch(compact))
        {
            return false;
        }

        var rearranged = string.Concat(compact.AsSpan(4), compact.AsSpan(0, 4));
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var digits = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = digits >= 10 ? ((remainder * 100) + digits) % 97 : ((remainder * 10) + digits) % 97;
        }

        return remainder == 1;
    }

    private static void InspectName(string columnName, List<PersonalDataEvidence> evidence)
    {
        var tokens = Tokenize(columnName);
        var candidates = new HashSet<string>(tokens, StringComparer.Ordinal) { string.Concat(tokens) };
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            candidates.Add(tokens[i] + tokens[i + 1]);
            if (i + 2 < tokens.Count)
            {
                candidates.Add(tokens[i] + tokens[i + 1] + tokens[i + 2]);
            }
        }

        var kinds = new HashSet<PersonalDataKind>();
        foreach (var (keyword, kind) in NameKeywords)
        {
            if (candidates.Contains(keyword) && kinds.Add(kind))
            {
                evidence.Add(new PersonalDataEvidence(kind, $"name matches '{keyword}'"));
            }
        }

        var nameIndex = tokens.IndexOf("name");
        if (nameIndex >= 0 && !kinds.Contains(PersonalDataKind.PersonName)
            && (nameIndex == 0 || !NonPersonNameQualifiers.Contains(tokens[nameIndex - 1])))
        {
            evidence.Add(new PersonalDataEvidence(PersonalDataKind.PersonName, "name matches 'name'"));
        }
    }

    /// <summary>Lower-case words of a header: splits on non-letters/digits and camelCase boundaries ("dateOfBirth" → date, of, birth).</summary>
    private static List<string> Tokenize(string columnName)
    {
        var spaced = CamelBoundary().Replace(columnName, " ");
        return [.. NonAlphanumeric().Split(spaced.ToLowerInvariant()).Where(t => t.Length > 0)];
    }

    private void InspectValues(List<string> values, List<PersonalDataEvidence> evidence)
    {
        AddIfShare(values, evidence, PersonalDataKind.Email, v => EmailPattern().IsMatch(v), ValueShareThreshold, "e-mail addresses");
        AddIfShare(values, evidence, PersonalDataKind.BankAccount, IsValidIban, ValueShareThreshold, "valid IBANs (mod-97 check)");
        AddIfShare(values, evidence, PersonalDataKind.NationalId, IsNationalId, ValueShareThreshold, "national identifiers (US SSN or UK NINO format)");
        AddIfShare(values, evidence, PersonalDataKind.Postcode, IsPostcode, ValueShareThreshold, "postcodes (UK, US ZIP+4, Dutch or Canadian format)");
        AddIfShare(values, evidence, PersonalDataKind.Phone, IsPhoneNumber, ValueShareThreshold, "phone numbers");
        AddIfShare(values, evidence, PersonalDataKind.Address, v => StreetAddressPattern().IsMatch(v), ValueShareThreshold, "street addresses");
        AddIfShare(values, evidence, PersonalDataKind.PersonName, IsPersonName, NameShareThreshold, "names starting with a common first name");
        InspectBirthDates(values, evidence);
    }

    private static void AddIfShare(List<string> values, List<PersonalDataEvidence> evidence, PersonalDataKind kind,
        Func<string, bool> matches, double threshold, string description)
    {
        var hits = values.Count(matches);
        var share = (double)hits / values.Count;
        if (share >= threshold)
        {
            evidence.Add(new PersonalDataEvidence(kind,
                string.Create(CultureInfo.InvariantCulture, $"{share * 100:0}% of {values.Count} sampled values are {description}")));
        }
    }

    private void InspectBirthDates(List<string> values, List<PersonalDataEvidence> evidence)
    {
        var today = _timeProvider.GetUtcNow().UtcDateTime.Date;
        var plausible = new List<DateTime>();
        foreach (var value in values)
        {
            if (CellValues.TryParseDate(value, out var date) && date <= today && date >= today.AddYears(-120))
            {
                plausible.Add(date);
            }
        }

        var share = (double)plausible.Count / values.Count;
        if (plausible.Count == 0 || share < BirthDateShareThreshold)
        {
            return;
        }

        // Any recent date implies an age between 0 and 120; a population's birth dates also spread over decades.
        var spanYears = (plausible.Max() - plausible.Min()).TotalDays / 365.25;
        if (spanYears >= BirthDateMinimumSpanYears)
        {
            evidence.Add(new PersonalDataEvidence(PersonalDataKind.BirthDate,
                string.Create(CultureInfo.InvariantCulture,
                    $"{share * 100:0}% of {values.Count} sampled values are past dates implying ages 0–120, spread over {spanYears:0} years")));
        }
    }

    private static bool IsNationalId(string value)
    {
        var ssn = SsnPattern().Match(value);
        if (ssn.Success)
        {
            var area = ssn.Groups[1].Value;
            return area is not "000" and not "666" && area[0] != '9' && ssn.Groups[2].Value != "00" && ssn.Groups[3].Value != "0000";
        }

        return NinoPattern().IsMatch(value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
    }

    private static bool IsPostcode(string value) =>
        UkPostcodePattern().IsMatch(value) || ZipPlusFourPattern().IsMatch(value)
        || DutchPostcodePattern().IsMatch(value) || CanadianPostcodePattern().IsMatch(value);

    private static bool IsPhoneNumber(string value)
    {
        if (!PhoneShape().IsMatch(value) || SsnPattern().IsMatch(value) || CellValues.TryParseDate(value, out _) || DecimalNumber().IsMatch(value))
        {
            return false;
        }

        var digits = value.Count(char.IsAsciiDigit);
        if (digits is < 7 or > 15)
        {
            return false;
        }

        // A bare run of digits is more often an id or an amount; phone numbers are written with a prefix or separators.
        return value.StartsWith('+') || value.StartsWith('0') || value.Any(c => c is ' ' or '-' or '(' or ')' or '.');
    }

    private static bool IsPersonName(string value)
    {
        var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 1 or > 4 || !words.All(w => char.IsUpper(w[0]) && w.Skip(1).All(c => char.IsLetter(c) || c is '-' or '\'' or '.' or ',')))
        {
            return false;
        }

        // "Smith, John" lists the surname first.
        var first = words.Length > 1 && words[0].EndsWith(',') ? words[1] : words[0];
        return CommonFirstNames.Contains(first.TrimEnd(',', '.'));
    }

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex CamelBoundary();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")]
    private static partial Regex IbanShape();

    [GeneratedRegex(@"^(\d{3})-(\d{2})-(\d{4})$")]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")]
    private static partial Regex NinoPattern();

    [GeneratedRegex(@"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", RegexOptions.IgnoreCase)]
    private static partial Regex UkPostcodePattern();

    [GeneratedRegex(@"^\d{5}-\d{4}$")]
    private static partial Regex ZipPlusFourPattern();

    [GeneratedRegex(@"^[1-9]\d{3} ?[A-Z]{2}$")]
    private static partial Regex DutchPostcodePattern();

    [GeneratedRegex(@"^[A-Z]\d[A-Z] ?\d[A-Z]\d$", RegexOptions.IgnoreCase)]
    private static partial Regex CanadianPostcodePattern();

    [GeneratedRegex(@"^\+?[\d\s().-]{7,24}$")]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"^-?\d+\.\d+$")]
    private static partial Regex DecimalNumber();

    [GeneratedRegex(@"^\d+[a-zA-Z]?,? +\p{L}[\p{L}.' -]* (street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|square|sq|close|crescent|terrace)\.?$|^\p{L}[\p{L}.' -]*(straße|strasse|str\.|weg|gasse|platz|allee|straat|laan|gracht|rue|via|calle) ?\d+[a-zA-Z]?$", RegexOptions.IgnoreCase)]
    private static partial Regex StreetAddressPattern();
}
