"""The writes of the microprojets, by step of an application's life.

- submission: drafts, the one-time submission, references, the applicant's complements;
- moves: the one function that changes a status (lock, check, log, e-mails on commit).
"""
