"""The rent payment service (C5): monthly rent rolls, payments to landlords, participants' shares, arrears."""
