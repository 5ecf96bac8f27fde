using Bogus;

namespace CaseTransfer.Infrastructure.Seeding;

/// <summary>
/// Forenames and surnames as found on British caseloads, most common first (after ONS name frequency lists,
/// with the Irish, Welsh, Scottish, South Asian, Black British and Polish names common in the regions served).
/// Picked with a Zipf-like weight so "Smith" and "John" are common.
/// </summary>
/// <remarks>
/// Real caseloads are far more diverse in surnames than any hand-written list: the few hundred commonest cover
/// only about a quarter of people, the rest spread over tens of thousands. So <see cref="PickSurname"/> takes
/// <see cref="CommonSurnameShare"/> of people from <see cref="Surnames"/> and the others from
/// <see cref="TailSurnames"/>, several thousand plausible British surnames built deterministically from
/// toponymic and occupational parts (Ash+ley, Black+wood, Thorn+ton) and Mac/Mc and O' patronymics, picked
/// almost uniformly (weight 1/(rank+2000)), so each is rare. Forenames are a few hundred, Zipf-weighted.
/// </remarks>
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
        "Edward", "Henry", "William", "Charles", "Samuel", "Joseph", "Benjamin", "Alexander", "Nicholas", "Timothy",
        "Jeremy", "Russell", "Glen", "Glenn", "Howard", "Malcolm", "Douglas", "Duncan", "Hamish", "Angus",
        "Fraser", "Ross", "Euan", "Ewan", "Gavin", "Grant", "Alistair", "Alasdair", "Iain", "Hugh",
        "Rhodri", "Iwan", "Dafydd", "Gethin", "Huw", "Emyr", "Aled", "Owain", "Bryn", "Idris",
        "Ciaran", "Cormac", "Niall", "Eoin", "Padraig", "Fergus", "Ronan", "Conor", "Shane", "Brendan",
        "Harvey", "Alfie", "Charlie", "Archie", "Freddie", "Billy", "Tommy", "Danny", "Kenny", "Lewis",
        "Mason", "Ethan", "Tyler", "Kai", "Jayden", "Reuben", "Louis", "Toby", "Max", "Elliot",
        "Ali", "Ahmed", "Bilal", "Faisal", "Hamza", "Zain", "Usman", "Rizwan", "Shahid", "Waqar",
        "Arjun", "Rajesh", "Vikram", "Deepak", "Harpreet", "Gurpreet", "Jaswinder", "Kuldip", "Manjit", "Sukhdev",
        "Chinedu", "Oluwaseun", "Kofi", "Kwabena", "Abdi", "Mohamed", "Delroy", "Winston", "Desmond", "Clive",
        "Lukasz", "Krzysztof", "Pawel", "Andrzej", "Mariusz", "Ionut", "Andrei", "Florin", "Darius", "Vasile",
        "Raymond", "Kenneth", "Dennis", "Norman", "Leslie", "Stanley", "Gordon", "Ronald", "Victor", "Vincent",
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
        "Emily", "Olivia", "Jasmine", "Megan", "Bethany", "Kirsty", "Hayley", "Leah", "Shannon", "Courtney",
        "Paige", "Tegan", "Ellie", "Lucy", "Holly", "Georgia", "Amber", "Summer", "Kayleigh", "Jodie",
        "Sharon", "Tracy", "Mandy", "Wendy", "Beverley", "Pauline", "Sandra", "Lorraine", "Alison", "Marie",
        "Anne", "Ann", "Mary", "Patricia", "Christine", "Janet", "Diane", "Gillian", "Maureen", "Elaine",
        "Zainab", "Maryam", "Sana", "Rubina", "Nasreen", "Yasmin", "Samina", "Parveen", "Shazia", "Humaira",
        "Simran", "Harjit", "Kiran", "Anita", "Sunita", "Neelam", "Adaeze", "Chioma", "Abena", "Efua",
        "Aoife", "Orla", "Roisin", "Sinead", "Grainne", "Caitlin", "Seren", "Nia", "Angharad", "Rhiannon",
        "Isla", "Morag", "Kirstie", "Fiona", "Shona", "Magdalena", "Joanna", "Monika", "Ewelina", "Ioana",
    ];

    /// <summary>Share of people whose surname comes from the common list; the rest from the long tail.</summary>
    public const double CommonSurnameShare = 0.27;

    private const int TailRankOffset = 2_000;

    private static readonly string[] TailStarts =
    [
        "Ash", "Black", "Brad", "Brook", "Bur", "Cal", "Chad", "Chat", "Clay", "Cliff",
        "Cold", "Crom", "Dar", "Den", "Dun", "East", "Elm", "Fair", "Farn", "Fen",
        "Gold", "Grims", "Hal", "Ham", "Hart", "Haw", "Hazel", "Heath", "Hey", "Hol",
        "Horn", "Hux", "Kings", "Kirk", "Lang", "Lind", "Lock", "Long", "Marl", "Mid",
        "Mil", "Moor", "Nor", "Oak", "Old", "Pen", "Ped", "Rad", "Raw", "Red",
        "Ring", "Rock", "Roth", "Rush", "Sal", "Sand", "Shel", "Sher", "Shir", "Stan",
        "Staple", "Stock", "Strat", "Sud", "Sun", "Swin", "Thorn", "Tod", "Wal", "War",
        "Wat", "Wed", "Wen", "West", "Whit", "Wick", "Wil", "Win", "Wool", "Wor",
        "Ax", "Bar", "Bel", "Bing", "Bol", "Bram", "Brig", "Cart", "Chip", "Crab",
    ];

    private static readonly string[] TailEnds =
    [
        "ley", "wood", "ton", "field", "shaw", "well", "worth", "by", "ham", "den",
        "hurst", "bridge", "dale", "cott", "combe", "thorpe", "stead", "wick", "more", "land",
        "croft", "gate", "ford", "bury", "brook", "stone", "leigh", "hall", "man", "ridge",
        "cliffe", "low", "holme", "over", "ington", "ingham", "er", "ing", "stock", "lake",
    ];

    private static readonly string[] ScottishRoots =
    [
        "Kenzie", "Intosh", "Leod", "Kay", "Lean", "Millan", "Pherson", "Gregor", "Allister", "Farlane",
        "Bride", "Cann", "Gowan", "Guire", "Ewan", "Innes", "Kinnon", "Laren", "Nab", "Neil",
        "Queen", "Rae", "Ritchie", "Vicar", "Kee", "Kendrick", "Manus", "Mahon", "Namara", "Govern",
        "Grath", "Cabe", "Cormack", "Dermott", "Elroy", "Fadden", "Garry", "Gee", "Ginley", "Hale",
        "Hugh", "Keown", "Kinley", "Lachlan", "Loughlin", "Nally", "Nulty", "Sorley", "Taggart", "Whirter",
    ];

    private static readonly string[] IrishRoots =
    [
        "Sullivan", "Donnell", "Reilly", "Hara", "Shea", "Keefe", "Leary", "Mahony", "Malley", "Rourke",
        "Toole", "Dwyer", "Callaghan", "Driscoll", "Flaherty", "Gorman", "Hagan", "Halloran", "Kane", "Loughlin",
        "Meara", "Mara", "Regan", "Riordan", "Shaughnessy", "Donovan", "Grady", "Hanlon", "Farrell", "Dowd",
    ];

    /// <summary>The long tail of rarer surnames, in a fixed pseudo-random order (the same on every run).</summary>
    public static readonly string[] TailSurnames = BuildTail();

    private static readonly double[] TailCumulative = Cumulative(TailSurnames.Length, TailRankOffset);

    /// <summary>A surname: from the common list for <see cref="CommonSurnameShare"/> of people, else from the tail.</summary>
    public static string PickSurname(Faker faker)
    {
        ArgumentNullException.ThrowIfNull(faker);
        if (faker.Random.Double() < CommonSurnameShare)
        {
            return Pick(faker, Surnames);
        }

        var target = faker.Random.Double() * TailCumulative[^1];
        var i = Array.BinarySearch(TailCumulative, target);
        return TailSurnames[Math.Min(i < 0 ? ~i : i, TailSurnames.Length - 1)];
    }

    private static string[] BuildTail()
    {
        var common = new HashSet<string>(Surnames, StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var start in TailStarts)
        {
            foreach (var end in TailEnds)
            {
                names.Add(start + end);
            }
        }

        foreach (var root in ScottishRoots)
        {
            names.Add("Mac" + root);
            names.Add("Mc" + root);
        }

        foreach (var root in IrishRoots)
        {
            names.Add("O'" + root);
        }

        names.ExceptWith(common);

        // Order by a fixed hash (FNV-1a) rather than alphabetically, so the slightly commoner early ranks are not
        // all Ash- names; string.GetHashCode is randomised per process, so it cannot be used.
        return [.. names.OrderBy(Fnv1a).ThenBy(n => n, StringComparer.Ordinal)];
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }

    private static double[] Cumulative(int n, int offset)
    {
        var cumulative = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / (i + offset);
            cumulative[i] = sum;
        }

        return cumulative;
    }

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
