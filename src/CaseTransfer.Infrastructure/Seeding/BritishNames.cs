using Bogus;

namespace CaseTransfer.Infrastructure.Seeding;

/// <summary>
/// Forenames and surnames as found on British caseloads, most common first (after ONS name frequency lists,
/// with the Irish, Welsh, Scottish, South Asian, Black British and Polish names common in the regions served).
/// Picked with a Zipf-like weight so "Smith" and "John" are common and the tail is long, as in real life.
/// </summary>
public static class BritishNames
{
    public static readonly string[] Surnames =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
        "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
        "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
        "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
        "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
        "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
        "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
        "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
        "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart",
        "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West",
        "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien",
        "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees",
        "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe",
        "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland",
        "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed", "Kennedy", "Williamson", "Bird",
        "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry", "Burgess", "Bishop",
        "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls",
        "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor",
        "Harper", "Coleman", "Watkins", "Moss", "McCarthy", "Chambers", "O'Neill", "Griffin", "Sharp", "Hardy",
        "Wheeler", "Potter", "Osborne", "Johnston", "Gordon", "Doyle", "Wallace", "George", "Jordan", "Hutchinson",
        "Rahman", "Mensah", "Okafor", "Adeyemi", "Nowak", "Kowalski", "Wiśniewski", "Lewandowski", "Quinn", "Doherty",
        "McLaughlin", "Fitzgerald", "Gallagher", "Molyneux", "Ashworth", "Whitaker", "Hargreaves", "Sutcliffe", "Ramsbottom", "Greenwood",
        "Llewellyn", "Pritchard", "Vaughan", "Prosser", "Meredith", "MacDonald", "Fraser", "Ferguson", "Cunningham", "Sinclair",
        "Chowdhury", "Islam", "Miah", "Uddin", "Iqbal", "Akhtar", "Malik", "Mahmood", "Sharma", "Kumar",
        "Boateng", "Asante", "Owusu", "Adeleke", "Okonkwo", "Campbell-Brown", "Smith-Jones", "Lloyd-Williams", "Fitzpatrick", "Kavanagh",
    ];

    public static readonly string[] MaleForenames =
    [
        "John", "David", "Michael", "Paul", "Andrew", "Mark", "James", "Richard", "Stephen", "Robert",
        "Peter", "Christopher", "Daniel", "Thomas", "Anthony", "Matthew", "Lee", "Simon", "Gary", "Darren",
        "Jason", "Craig", "Wayne", "Dean", "Scott", "Ian", "Kevin", "Steven", "Martin", "Carl",
        "Ryan", "Adam", "Jamie", "Liam", "Shaun", "Stuart", "Neil", "Philip", "Jonathan", "Kieran",
        "Connor", "Jordan", "Callum", "Nathan", "Luke", "Joshua", "Jack", "Bradley", "Aaron", "Ashley",
        "Dale", "Gareth", "Rhys", "Dylan", "Owen", "Sean", "Declan", "Patrick", "Kyle", "Reece",
        "Mohammed", "Muhammad", "Imran", "Adil", "Tariq", "Ravi", "Sanjay", "Amir", "Hassan", "Yusuf",
        "Kwame", "Tunde", "Emeka", "Marcus", "Tyrone", "Leon", "Jermaine", "Piotr", "Tomasz", "Marek",
        "Jon", "Jonathon", "Stephan", "Phillip", "Geoffrey", "Graham", "Keith", "Barry", "Terry", "Colin",
        "Alan", "Brian", "Trevor", "Nigel", "Derek", "Roy", "Frank", "George", "Harry", "Oliver",
    ];

    public static readonly string[] FemaleForenames =
    [
        "Sarah", "Emma", "Claire", "Nicola", "Lisa", "Rebecca", "Laura", "Michelle", "Joanne", "Kelly",
        "Rachel", "Amy", "Gemma", "Samantha", "Louise", "Katie", "Hannah", "Jessica", "Charlotte", "Sophie",
        "Jade", "Chloe", "Lauren", "Danielle", "Stacey", "Donna", "Tracey", "Julie", "Karen", "Helen",
        "Catherine", "Katherine", "Kathryn", "Elizabeth", "Victoria", "Natalie", "Leanne", "Zoe", "Kerry", "Amanda",
        "Fatima", "Ayesha", "Priya", "Nadia", "Aisha", "Shabana", "Grace", "Abigail", "Chantelle", "Shanice",
        "Agnieszka", "Katarzyna", "Siobhan", "Niamh", "Ciara", "Bethan", "Ffion", "Carys", "Mairead", "Eilidh",
        "Joan", "Jean", "Margaret", "Susan", "Linda", "Carol", "Angela", "Deborah", "Jacqueline", "Dawn",
    ];

    /// <summary>A name from a list ordered most-common-first, with weight proportional to 1/(rank+3).</summary>
    public static string Pick(Faker faker, string[] names)
    {
        var total = Harmonic(names.Length);
        var target = faker.Random.Double() * total;
        for (var i = 0; i < names.Length; i++)
        {
            target -= 1.0 / (i + 3);
            if (target <= 0)
            {
                return names[i];
            }
        }

        return names[^1];
    }

    private static double Harmonic(int n)
    {
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / (i + 3);
        }

        return sum;
    }
}
