"""Vocabulary of the generator: the words Business Central developers name
things with. Data only; every list is a tuple so that iteration order, and
hence the generated text, never depends on hashing.

Field entries are ``(name, type)`` where type is one of the generator's type
codes: ``code10``, ``code20``, ``code35``, ``text30``, ``text50``,
``text100``, ``text250``, ``dec``, ``int``, ``date``, ``datetime``, ``time``,
``bool``, ``guid``, ``blob``.
"""

# Functional areas: (folder and namespace segment, word used in names).
DOMAINS = (
    ("Sales", "Sales"), ("Purchases", "Purchase"), ("Inventory", "Inventory"),
    ("Warehouse", "Warehouse"), ("Manufacturing", "Production"), ("Service", "Service"),
    ("Projects", "Project"), ("Finance", "Finance"), ("Bank", "Bank"), ("CashFlow", "Cash Flow"),
    ("FixedAssets", "Asset"), ("HumanResources", "Employee"), ("CRM", "Marketing"),
    ("Assembly", "Assembly"), ("Pricing", "Price"), ("Foundation", "General"),
    ("Integration", "Integration"), ("Intercompany", "IC"), ("Transfer", "Transfer"),
    ("Requisition", "Requisition"), ("Reminder", "Reminder"), ("Payables", "Payment"),
    ("Shipping", "Shipping"), ("Quality", "Quality"), ("Energy", "Energy"),
    ("Fleet", "Fleet"), ("Rental", "Rental"), ("Subscription", "Subscription"),
    ("Retail", "Retail"), ("Loyalty", "Loyalty"),
)

# Nouns for master tables (`Customer`, `Service Item`): combined with a domain word.
MASTER_NOUNS = (
    "Customer", "Vendor", "Item", "Resource", "Contact", "Location", "Machine", "Account",
    "Contract", "Campaign", "Agent", "Carrier", "Template", "Device", "Vehicle", "Route",
    "Zone", "Center", "Partner", "Member", "Project", "Task", "Asset", "Store", "Batch",
    "Product", "Supplier", "Warehouse", "Team", "Employee", "Budget", "Profile", "Channel",
    "Bin", "Dock", "Tariff", "Program", "Station", "Territory", "Portfolio",
)
# Qualifiers that make a second or third name for the same noun.
QUALIFIERS = (
    "Global", "Local", "Posted", "Archived", "Planned", "Standard", "Recurring", "Inbound",
    "Outbound", "Internal", "External", "Central", "Regional", "Primary", "Temporary",
    "Blanket", "Service", "Job", "Cost", "Cash", "Bulk", "Retail",
)
DOCUMENTS = ("", "Order", "Invoice", "Quote", "Return", "Shipment", "Receipt", "Request",
             "Credit", "Transfer", "Journal", "Schedule", "Claim", "Plan")
CODE_NOUNS = ("Terms", "Method", "Group", "Class", "Category", "Reason", "Region", "Area",
              "Code", "Type", "Level", "Unit", "Rule", "Tier", "Calendar", "Priority")
ENTRY_NOUNS = ("Ledger Entry", "Entry", "Log Entry", "History", "Register", "Buffer",
               "Archive", "Statistics", "Comment Line", "Line")
SETUP_NOUNS = ("Setup", "Parameters", "Settings", "Preferences")
BUFFER_NOUNS = ("Buffer", "Worksheet", "Staging", "Cue", "Proposal", "Snapshot", "Matrix")

# Enums: names from a domain word plus one of these, with their values.
ENUM_SHAPES = (
    ("Document Type", ("Quote", "Order", "Invoice", "Credit Memo", "Blanket Order", "Return Order")),
    ("Status", ("Open", "Released", "Pending Approval", "Pending Prepayment", "Closed")),
    ("Line Type", (" ", "Comment", "Item", "Resource", "Fixed Asset", "Charge")),
    ("Source Type", (" ", "Customer", "Vendor", "Item", "Employee", "Bank Account")),
    ("Posting Method", ("Manual", "Automatic", "Batch", "Scheduled")),
    ("Approval Status", ("Open", "Pending", "Approved", "Rejected", "Canceled")),
    ("Calc. Method", ("Standard", "Average", "FIFO", "LIFO", "Specific")),
    ("Priority", ("Low", "Normal", "High", "Urgent")),
    ("Frequency", ("Daily", "Weekly", "Monthly", "Quarterly", "Yearly")),
    ("Channel", ("E-Mail", "Phone", "Portal", "Letter", "Visit")),
    ("Blocked", (" ", "Ship", "Invoice", "All")),
    ("Rounding", ("Nearest", "Up", "Down")),
)

# Option fields: (name, members). " " is the blank member, as in real tables.
OPTIONS = (
    ("Status", ("Open", "Released", "Pending Approval", "Closed")),
    ("Blocked Type", (" ", "Ship", "Invoice", "All")),
    ("Priority Level", ("Low", "Normal", "High")),
    ("Partner Type", (" ", "Company", "Person")),
    ("Reserve", ("Never", "Optional", "Always")),
    ("Application Method", ("Manual", "Apply to Oldest")),
    ("Costing Method", ("FIFO", "LIFO", "Specific", "Average", "Standard")),
    ("Contact Type", ("Company", "Person")),
    ("Entry Type", ("Initial Entry", "Application", "Adjustment", "Transfer")),
    ("Print Format", ("Standard", "Compact", "Detailed")),
)

FIELDS = (
    ("Name", "text100"), ("Name 2", "text50"), ("Description", "text100"),
    ("Description 2", "text50"), ("Search Name", "code100"), ("Address", "text100"),
    ("Address 2", "text50"), ("City", "text30"), ("County", "text30"), ("Contact", "text100"),
    ("E-Mail", "text100"), ("Home Page", "text250"), ("Phone No.", "text30"),
    ("Mobile Phone No.", "text30"), ("Comment", "text250"), ("Your Reference", "text35"),
    ("External Document No.", "code35"), ("VAT Registration No.", "text20"),
    ("Post Code", "code20"), ("Country/Region Code", "code10"), ("Currency Code", "code10"),
    ("Language Code", "code10"), ("Location Code", "code10"), ("Responsibility Center", "code10"),
    ("Salesperson Code", "code20"), ("Shortcut Dimension 1 Code", "code20"),
    ("Shortcut Dimension 2 Code", "code20"), ("Gen. Bus. Posting Group", "code20"),
    ("VAT Bus. Posting Group", "code20"), ("Payment Terms Code", "code10"),
    ("Payment Method Code", "code10"), ("Shipment Method Code", "code10"),
    ("Shipping Agent Code", "code10"), ("Bin Code", "code20"), ("Variant Code", "code10"),
    ("Unit of Measure Code", "code10"), ("Reason Code", "code10"), ("Source Code", "code10"),
    ("Territory Code", "code10"), ("No. Series", "code20"), ("Job No.", "code20"),
    ("Amount", "dec"), ("Amount (LCY)", "dec"), ("Amount Including VAT", "dec"),
    ("Quantity", "dec"), ("Unit Price", "dec"), ("Unit Cost", "dec"), ("Unit Cost (LCY)", "dec"),
    ("Line Discount %", "dec"), ("Line Discount Amount", "dec"), ("Inv. Discount Amount", "dec"),
    ("VAT %", "dec"), ("Credit Limit (LCY)", "dec"), ("Outstanding Amount", "dec"),
    ("Remaining Amount", "dec"), ("Budgeted Amount", "dec"), ("Net Weight", "dec"),
    ("Gross Weight", "dec"), ("Unit Volume", "dec"), ("Profit %", "dec"),
    ("Prepayment %", "dec"), ("Qty. per Unit of Measure", "dec"), ("Qty. to Ship", "dec"),
    ("Qty. to Invoice", "dec"), ("Quantity Shipped", "dec"), ("Quantity Invoiced", "dec"),
    ("Debit Amount", "dec"), ("Credit Amount", "dec"), ("Cost Amount", "dec"),
    ("Sales Amount", "dec"), ("Discount Amount", "dec"), ("Freight Amount", "dec"),
    ("Priority", "int"), ("No. Printed", "int"), ("Sequence No.", "int"),
    ("Lead Time Days", "int"), ("Transaction No.", "int"), ("Dimension Set ID", "int"),
    ("Reminder Level", "int"), ("Attempt Count", "int"), ("Version No.", "int"),
    ("Sorting Order", "int"), ("Retry Count", "int"),
    ("Posting Date", "date"), ("Document Date", "date"), ("Due Date", "date"),
    ("Order Date", "date"), ("Shipment Date", "date"), ("Expected Receipt Date", "date"),
    ("Starting Date", "date"), ("Ending Date", "date"), ("Last Date Modified", "date"),
    ("Valid From", "date"), ("Valid To", "date"), ("Promised Delivery Date", "date"),
    ("Requested Delivery Date", "date"), ("Closed at Date", "date"), ("Pmt. Discount Date", "date"),
    ("Created At", "datetime"), ("Last Modified DateTime", "datetime"), ("Released At", "datetime"),
    ("Approved At", "datetime"), ("Sent At", "datetime"), ("Last Sync DateTime", "datetime"),
    ("Starting Time", "time"), ("Ending Time", "time"),
    ("Blocked", "bool"), ("Open", "bool"), ("Positive", "bool"), ("Reversed", "bool"),
    ("Prices Including VAT", "bool"), ("Print Statements", "bool"), ("Allow Line Disc.", "bool"),
    ("Tax Liable", "bool"), ("Correction", "bool"), ("Is Default", "bool"), ("Active", "bool"),
    ("Archived", "bool"), ("Combine Shipments", "bool"), ("Privacy Blocked", "bool"),
    ("Approval Required", "bool"), ("Send Notification", "bool"),
    ("Integration Id", "guid"), ("Job Queue Entry ID", "guid"), ("Workflow Step ID", "guid"),
    ("Picture", "blob"), ("Work Description", "blob"), ("Attachment", "blob"), ("Signature", "blob"),
)
# Prefixes that keep the type of the field they qualify ("Ship-to City").
FIELD_PREFIXES = ("Ship-to", "Bill-to", "Sell-to", "Pay-to", "Original", "Remaining", "Posted",
                  "Expected", "Actual", "Budget", "Max.", "Min.", "Default", "Alt.", "Prev.")

# Fields added by extensions (their own words, so names do not collide with the base).
EXTENSION_FIELDS = (
    ("Loyalty Points", "int"), ("Loyalty Tier", "code10"), ("Carbon Footprint", "dec"),
    ("Delivery Window", "text50"), ("Portal Enabled", "bool"), ("Risk Score", "dec"),
    ("Sync Status", "text30"), ("Last Synced At", "datetime"), ("Region Manager", "code20"),
    ("Warranty Until", "date"), ("Energy Class", "code10"), ("Review Note", "text250"),
    ("Approval Ref.", "code20"), ("Batch Size", "int"), ("Margin Target", "dec"),
    ("Preferred Carrier", "code20"), ("Inspection Date", "date"), ("Fleet Unit", "code20"),
    ("Webshop Id", "guid"), ("Commission %", "dec"), ("Rental Days", "int"),
    ("Service Level", "code10"), ("Promo Code", "code20"), ("Hazard Class", "code10"),
    ("Customs Tariff", "code20"), ("Recycled", "bool"), ("Bonus Amount", "dec"),
    ("Subscription End", "date"), ("Channel Ref.", "text50"), ("External Rating", "int"),
)
EXTENSION_TOPICS = (
    "Loyalty", "Fleet", "Webshop", "Carbon", "Rental", "Warranty", "Customs", "Approvals",
    "Portal", "Commission", "Quality", "Subscriptions", "Logistics", "Promotions", "Insights",
    "Payments", "Returns", "Compliance", "Field Service", "Budgeting",
)
PUBLISHERS = ("Fabrikam", "Contoso Partners", "Northwind", "Litware", "Tailspin", "Adatum",
              "Proseware", "Wingtip", "Alpine Ski", "Woodgrove", "Lucerne", "Coho")
ENUM_EXTENSION_VALUES = ("Webshop", "Partner", "Marketplace", "Kiosk", "Drone", "Locker",
                         "Reseller", "Franchise", "Pilot", "Express", "Escalated", "Hold")

# Page groups on cards, actions, and verbs for procedures.
CARD_GROUPS = ("Invoicing", "Shipping", "Details", "Communication", "Posting", "Statistics",
               "Administration", "Payments", "Planning", "Warehouse")
ACTIONS = (
    ("Post", "Post"), ("Release", "ReleaseDoc"), ("Reopen", "ReOpen"), ("Copy Document", "CopyDocument"),
    ("Calculate", "Calculate"), ("Send", "SendEmail"), ("Print", "Print"), ("Archive", "Archive"),
    ("Approve", "Approve"), ("Recalculate", "Refresh"), ("Export", "Export"), ("Import", "Import"),
)
VERBS = ("Post", "Release", "Reopen", "Process", "Archive", "Approve", "Recalculate", "Transfer",
         "Apply", "Close", "Register", "Confirm", "Schedule", "Notify", "Sync", "Split")
TOOLTIP_VERBS = ("Specifies", "Shows", "Indicates")
