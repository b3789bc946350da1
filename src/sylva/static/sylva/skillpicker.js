// The skills picker: enhances every <select data-skill-picker> (people/widgets.py).
