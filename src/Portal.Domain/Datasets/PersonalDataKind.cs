namespace Portal.Domain.Datasets;

/// <summary>The kind of personal data a column seems to hold.</summary>
public enum PersonalDataKind
{
    Email = 0,
    Phone = 1,
    PersonName = 2,
    Address = 3,
    Postcode = 4,
    BirthDate = 5,
    Age = 6,
    NationalId = 7,
    BankAccount = 8,
}
